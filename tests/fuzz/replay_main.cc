// The corpus replay: a fuzz target's LLVMFuzzerTestOneInput built without libFuzzer (by the normal
// gcc build) and run once over given files and directories, so CTest keeps every committed
// finding (tests/fuzz/seeds/<target>/) fixed and the targets' own seeds passing their properties.
//   <target>_replay PATH...   (a directory: every file in it, in name order)
// The seeds a target writes itself (fuzz_support.h) are made in a temporary directory and replayed
// too. A property violation aborts, as under libFuzzer.
#include <unistd.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size);
extern "C" __attribute__((weak)) int LLVMFuzzerInitialize(int* argc, char*** argv);

namespace fs = std::filesystem;

namespace {

void AddInputs(const fs::path& path, std::vector<fs::path>* out) {
  if (fs::is_directory(path)) {
    std::vector<fs::path> files;
    for (const auto& entry : fs::directory_iterator(path)) {
      if (entry.is_regular_file()) files.push_back(entry.path());
    }
    std::sort(files.begin(), files.end());
    out->insert(out->end(), files.begin(), files.end());
  } else if (fs::is_regular_file(path)) {
    out->push_back(path);
  }
}

}  // namespace

int main(int argc, char** argv) {
  std::string seed_dir = (fs::temp_directory_path() / "jejak-fuzz-replay-XXXXXX").string();
  if (mkdtemp(seed_dir.data()) == nullptr) {
    std::perror("mkdtemp");
    return 2;
  }
  setenv("JEJAK_FUZZ_SEED_DIR", seed_dir.c_str(), 1);
  if (LLVMFuzzerInitialize != nullptr) LLVMFuzzerInitialize(&argc, &argv);

  std::vector<fs::path> inputs;
  for (int i = 1; i < argc; ++i) AddInputs(argv[i], &inputs);
  AddInputs(seed_dir, &inputs);
  for (const fs::path& input : inputs) {
    std::ifstream in(input, std::ios::binary);
    const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    std::fprintf(stderr, "replay %s (%zu bytes)\n", input.c_str(), bytes.size());
    LLVMFuzzerTestOneInput(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size());
  }
  fs::remove_all(seed_dir);
  std::printf("replayed %zu inputs\n", inputs.size());
  return 0;
}
