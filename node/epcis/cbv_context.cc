#include "node/epcis/cbv_context.h"

#include <algorithm>
#include <span>
#include <string>
#include <string_view>

namespace jejak::epcis {
namespace {

struct VocabularyTerm {
  std::string_view short_name;
  std::string_view uri;
};

#include "node/epcis/cbv_context_tables.inc"

std::span<const VocabularyTerm> TableOf(Vocabulary vocabulary) {
  switch (vocabulary) {
    case Vocabulary::kBizStep: return kBizSteps;
    case Vocabulary::kDisposition: return kDispositions;
    case Vocabulary::kBizTransactionType: return kBizTransactionTypes;
    case Vocabulary::kSourceDestType: return kSourceDestTypes;
    case Vocabulary::kErrorReason: return kErrorReasons;
    case Vocabulary::kMeasurementType: return kMeasurementTypes;
    case Vocabulary::kSensorAlertType: return kSensorAlertTypes;
    case Vocabulary::kComponent: return kComponents;
  }
  return {};
}

}  // namespace

std::optional<std::string_view> ExpandVocabulary(Vocabulary vocabulary, std::string_view short_name) {
  const auto table = TableOf(vocabulary);
  auto it = std::lower_bound(table.begin(), table.end(), short_name,
                             [](const VocabularyTerm& t, std::string_view s) { return t.short_name < s; });
  if (it == table.end() || it->short_name != short_name) return std::nullopt;
  return it->uri;
}

std::optional<std::string_view> CompactVocabulary(Vocabulary vocabulary, std::string_view uri) {
  for (const VocabularyTerm& t : TableOf(vocabulary)) {
    if (t.uri == uri) return t.short_name;
  }
  return std::nullopt;
}

std::optional<std::string> UpgradeCbvUrn(std::string_view value) {
  static constexpr std::pair<std::string_view, std::string_view> kUrns[] = {
      {"urn:epcglobal:cbv:bizstep:", "https://ref.gs1.org/cbv/BizStep-"},
      {"urn:epcglobal:cbv:disp:", "https://ref.gs1.org/cbv/Disp-"},
      {"urn:epcglobal:cbv:btt:", "https://ref.gs1.org/cbv/BTT-"},
      {"urn:epcglobal:cbv:sdt:", "https://ref.gs1.org/cbv/SDT-"},
      {"urn:epcglobal:cbv:er:", "https://ref.gs1.org/cbv/ER-"},
  };
  for (const auto& [urn, web] : kUrns) {
    if (value.starts_with(urn)) return std::string(web) + std::string(value.substr(urn.size()));
  }
  return std::nullopt;
}

const std::map<std::string, std::string>& StandardNamespaces() {
  static const auto* const kMap = [] {
    auto* m = new std::map<std::string, std::string>();
    for (const VocabularyTerm& t : kStandardPrefixes) m->emplace(t.short_name, t.uri);
    return m;
  }();
  return *kMap;
}

}  // namespace jejak::epcis
