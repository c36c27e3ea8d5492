#include "node/daemon/verified_cache.h"

#include <gtest/gtest.h>

namespace jejak::daemon {
namespace {

v1::SignedEvent Event(const std::string& bytes, const std::string& signer, const std::string& signature) {
  v1::SignedEvent e;
  e.set_event_bytes(bytes);
  e.set_signer_key_id(signer);
  e.set_signature(signature);
  return e;
}

TEST(VerifiedCacheTest, KeyCoversSignerSignatureAndBytes) {
  const std::string base = VerifiedCache::Key(Event("bytes", "org/clerk", "sig"));
  EXPECT_EQ(base, VerifiedCache::Key(Event("bytes", "org/clerk", "sig")));
  EXPECT_NE(base, VerifiedCache::Key(Event("bytez", "org/clerk", "sig")));
  EXPECT_NE(base, VerifiedCache::Key(Event("bytes", "org/other", "sig")));
  EXPECT_NE(base, VerifiedCache::Key(Event("bytes", "org/clerk", "sih")));
  // Moving bytes across the field boundary changes the key (fields are length-prefixed).
  EXPECT_NE(VerifiedCache::Key(Event("ab", "c", "")), VerifiedCache::Key(Event("a", "bc", "")));
  EXPECT_EQ(base.size(), 32u);
}

TEST(VerifiedCacheTest, BoundedOldestForgottenFirst) {
  VerifiedCache cache(3);
  for (const char* key : {"a", "b", "c"}) cache.Insert(key, std::string("id-") + key);
  EXPECT_EQ(cache.Find("a"), "id-a");
  cache.Insert("a", "other");  // already there: no change
  EXPECT_EQ(cache.Find("a"), "id-a");
  cache.Insert("d", "id-d");
  EXPECT_EQ(cache.size(), 3u);
  EXPECT_FALSE(cache.Contains("a"));
  EXPECT_TRUE(cache.Contains("b"));
  EXPECT_EQ(cache.Find("d"), "id-d");
  EXPECT_FALSE(cache.Find("e").has_value());
}

}  // namespace
}  // namespace jejak::daemon
