// `jejak label`: the Digital Link URI of each kind of lot id, reading a label URI back, the QR
// matrix of the exact URI, the PNG (read back with libpng), and the output file rules.
#include "cli/lot_label.h"

#include <gtest/gtest.h>
#include <png.h>
#include <qrencode.h>
#include <stdlib.h>
#include <sys/stat.h>

#include <cstring>
#include <filesystem>
#include <fstream>
#include <memory>

#include "cli/output_file.h"

namespace jejak::cli {
namespace {

TEST(PercentEncodeTest, KeepsOnlyUnreservedCharacters) {
  EXPECT_EQ(PercentEncode("urn:jejak:lot:gayo:h-001"), "urn%3Ajejak%3Alot%3Agayo%3Ah-001");
  EXPECT_EQ(PercentEncode("A.b_c~9-"), "A.b_c~9-");
  EXPECT_EQ(PercentEncode("a b/c?d#e%f\xC3\xA9"), "a%20b%2Fc%3Fd%23e%25f%C3%A9");
  EXPECT_EQ(PercentEncode(""), "");
}

TEST(LotLabelUriTest, JejakLotsGoUnderTheResolversLotPath) {
  EXPECT_EQ(*LotLabelUri("urn:jejak:lot:gayo:h-001", ""),
            "https://id.jejak.example/lot/urn%3Ajejak%3Alot%3Agayo%3Ah-001");
  EXPECT_EQ(*LotLabelUri("URN:JEJAK:LOT:gayo:Lot_7.a", "https://trace.koperasi.id/"),
            "https://trace.koperasi.id/lot/urn%3Ajejak%3Alot%3Agayo%3ALot_7.a");
  EXPECT_EQ(*LotLabelUri("urn:jejak:lot:gayo:h-001", "http://localhost:8080/r"),
            "http://localhost:8080/r/lot/urn%3Ajejak%3Alot%3Agayo%3Ah-001");
}

TEST(LotLabelUriTest, Gs1KeysAreStandardDigitalLinks) {
  // Examples of the GS1 EPC Tag Data Standard.
  EXPECT_EQ(*LotLabelUri("urn:epc:id:sgtin:0614141.812345.6789", ""),
            "https://id.gs1.org/01/80614141123458/21/6789");
  EXPECT_EQ(*LotLabelUri("urn:epc:class:lgtin:4012345.012345.998877", ""),
            "https://id.gs1.org/01/04012345123456/10/998877");
  EXPECT_EQ(*LotLabelUri("urn:epc:id:sscc:0614141.1234567890", ""),
            "https://id.gs1.org/00/106141412345678908");
  // A Digital Link given as the lot comes out in canonical form; --base-uri swaps the resolver.
  EXPECT_EQ(*LotLabelUri("https://example.com/gtin/04012345123456/lot/998877", ""),
            "https://id.gs1.org/01/04012345123456/10/998877");
  EXPECT_EQ(*LotLabelUri("urn:epc:class:lgtin:4012345.012345.998877", "https://id.jejak.example"),
            "https://id.jejak.example/01/04012345123456/10/998877");
}

TEST(LotLabelUriTest, RefusesMalformedLotsAndBaseUris) {
  for (const char* lot : {"", "urn:uuid:1234", "urn:jejak:lot:Gayo:x", "urn:jejak:lot:gayo:",
                          "urn:epc:idpat:sgtin:0614141.112345.*", "https://id.gs1.org/01/1"}) {
    auto uri = LotLabelUri(lot, "");
    EXPECT_EQ(uri.status().code(), StatusCode::kInvalid) << lot;
  }
  for (const char* base : {"ftp://x.example", "https://", "id.jejak.example", "https://a b",
                           "https://x.example/?q=1", "https://x.example/#f",
                           "https://x.example/\xC3\xA9"}) {
    auto uri = LotLabelUri("urn:jejak:lot:gayo:h-001", base);
    ASSERT_FALSE(uri.ok()) << base;
    EXPECT_EQ(uri.status().code(), StatusCode::kInvalid) << base;
    EXPECT_NE(uri.status().message().find("--base-uri"), std::string::npos) << base;
  }
}

TEST(LotIdFromLabelUriTest, ReadsBackWhatLabelsHold) {
  for (const char* lot : {"urn:jejak:lot:gayo:h-001", "urn:jejak:lot:kintamani:Lot_7.a"}) {
    for (const char* base : {"", "https://trace.koperasi.id/", "http://localhost:8080/r"}) {
      auto uri = LotLabelUri(lot, base);
      ASSERT_TRUE(uri.ok()) << uri.status().ToString();
      EXPECT_EQ(LotIdFromLabelUri(*uri), std::optional<std::string>(lot)) << *uri;
      EXPECT_EQ(ResolveLotArgument(*uri), lot);
    }
  }
  EXPECT_EQ(LotIdFromLabelUri("https://x.example/lot/urn%3ajejak%3alot%3agayo%3ah-1"),
            std::optional<std::string>("urn:jejak:lot:gayo:h-1"));
}

TEST(LotIdFromLabelUriTest, LeavesEverythingElseAlone) {
  for (const char* text :
       {"urn:jejak:lot:gayo:h-001", "https://id.gs1.org/01/04012345123456/10/998877",
        "https://x.example/lot/urn%3Auuid%3A1", "https://x.example/lot/urn%3Ajejak%3Alot%3Ag%3A%G1",
        "https://x.example/lot/urn%3Ajejak%3Alot%3Agayo%3Ah%2", "https://x.example/lot/",
        "https://x.example/lot/urn%3Ajejak%3Alot%3Agayo%3Ah-1?x=1", "ftp://x/lot/urn%3Ajejak%3Alot%3Aa%3Ab",
        "https:/lot/urn%3Ajejak%3Alot%3Agayo%3Ah-1"}) {
    EXPECT_EQ(LotIdFromLabelUri(text), std::nullopt) << text;
    EXPECT_EQ(ResolveLotArgument(text), text);
  }
}

TEST(EncodeQrTest, MatrixIsLibqrencodesForTheExactText) {
  const std::string uri = "https://id.jejak.example/lot/urn%3Ajejak%3Alot%3Agayo%3Ah-001";
  auto qr = EncodeQr(uri);
  ASSERT_TRUE(qr.ok()) << qr.status().ToString();
  EXPECT_EQ(qr->width, 17 + 4 * qr->version);
  std::unique_ptr<QRcode, void (*)(QRcode*)> direct(
      QRcode_encodeString8bit(uri.c_str(), 0, QR_ECLEVEL_M), QRcode_free);
  ASSERT_NE(direct, nullptr);
  ASSERT_EQ(direct->width, qr->width);
  for (int y = 0; y < qr->width; ++y) {
    for (int x = 0; x < qr->width; ++x) {
      ASSERT_EQ(qr->at(x, y), (direct->data[y * direct->width + x] & 1) != 0) << x << "," << y;
    }
  }
  // Finder patterns: a dark 7x7 ring with a light ring inside, in three corners.
  for (auto [cx, cy] : {std::pair{0, 0}, {qr->width - 7, 0}, {0, qr->width - 7}}) {
    for (int i = 0; i < 7; ++i) {
      EXPECT_TRUE(qr->at(cx + i, cy) && qr->at(cx + i, cy + 6) && qr->at(cx, cy + i) &&
                  qr->at(cx + 6, cy + i));
    }
    EXPECT_FALSE(qr->at(cx + 1, cy + 1));
    EXPECT_TRUE(qr->at(cx + 3, cy + 3));
  }
  // One character more is another symbol.
  auto other = EncodeQr(uri + "2");
  ASSERT_TRUE(other.ok());
  EXPECT_NE(other->dark, qr->dark);
}

TEST(EncodeQrTest, RefusesEmptyAndOversizedText) {
  EXPECT_EQ(EncodeQr("").status().code(), StatusCode::kInvalid);
  EXPECT_EQ(EncodeQr(std::string(3000, 'a')).status().code(), StatusCode::kInvalid);
}

TEST(QrToPngTest, PngReadsBackAsTheMatrixWithAQuietZone) {
  auto qr = EncodeQr("https://id.gs1.org/01/80614141123458/21/400");
  ASSERT_TRUE(qr.ok());
  const int px = 3;
  auto png = QrToPng(*qr, px);
  ASSERT_TRUE(png.ok()) << png.status().ToString();
  png_image image;
  std::memset(&image, 0, sizeof image);
  image.version = PNG_IMAGE_VERSION;
  ASSERT_TRUE(png_image_begin_read_from_memory(&image, png->data(), png->size())) << image.message;
  image.format = PNG_FORMAT_GRAY;
  const int side = (qr->width + 2 * kQrQuietZoneModules) * px;
  ASSERT_EQ(image.width, static_cast<png_uint_32>(side));
  ASSERT_EQ(image.height, static_cast<png_uint_32>(side));
  std::vector<unsigned char> pixels(PNG_IMAGE_SIZE(image));
  ASSERT_TRUE(png_image_finish_read(&image, nullptr, pixels.data(), 0, nullptr)) << image.message;
  for (int y = 0; y < side; ++y) {
    for (int x = 0; x < side; ++x) {
      int mx = x / px - kQrQuietZoneModules, my = y / px - kQrQuietZoneModules;
      bool dark = mx >= 0 && my >= 0 && mx < qr->width && my < qr->width && qr->at(mx, my);
      ASSERT_EQ(pixels[static_cast<size_t>(y) * side + x], dark ? 0 : 255) << x << "," << y;
    }
  }
  EXPECT_EQ(QrToPng(*qr, 0).status().code(), StatusCode::kInvalid);
  EXPECT_EQ(QrToPng(*qr, 65).status().code(), StatusCode::kInvalid);
}

class OutputFileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = ::testing::TempDir() + "/output_file_XXXXXX";
    ASSERT_NE(mkdtemp(pattern.data()), nullptr);
    dir_ = pattern;
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::string Read(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  }
  size_t Files() {
    return static_cast<size_t>(std::distance(std::filesystem::directory_iterator(dir_), {}));
  }
  std::string dir_;
};

TEST_F(OutputFileTest, WritesAndRefusesToOverwriteUnlessForced) {
  const std::string path = dir_ + "/label.png";
  ASSERT_TRUE(WriteOutputFile(path, "first", false).ok());
  EXPECT_EQ(Read(path), "first");
  Status again = WriteOutputFile(path, "second", false);
  EXPECT_EQ(again.code(), StatusCode::kAlreadyExists);
  EXPECT_NE(again.message().find("--force"), std::string::npos) << again.ToString();
  EXPECT_EQ(Read(path), "first");
  ASSERT_TRUE(WriteOutputFile(path, "second", true).ok());
  EXPECT_EQ(Read(path), "second");
  EXPECT_EQ(Files(), 1u);  // no temporary file left behind
}

TEST_F(OutputFileTest, UnwritablePathsAreRefusedWithTheReason) {
  Status missing = WriteOutputFile(dir_ + "/no/such/dir/label.png", "x", false);
  EXPECT_EQ(missing.code(), StatusCode::kInvalid);
  EXPECT_NE(missing.message().find("No such file"), std::string::npos) << missing.ToString();
  EXPECT_EQ(WriteOutputFile(dir_, "x", true).code(), StatusCode::kInvalid);
  EXPECT_EQ(WriteOutputFile("", "x", true).code(), StatusCode::kInvalid);
  if (::geteuid() != 0) {  // root writes anywhere
    std::string locked = dir_ + "/locked";
    std::filesystem::create_directory(locked);
    ::chmod(locked.c_str(), 0500);
    EXPECT_EQ(WriteOutputFile(locked + "/label.png", "x", false).code(), StatusCode::kInvalid);
    ::chmod(locked.c_str(), 0700);
  }
  EXPECT_EQ(Files(), 0u + (::geteuid() != 0 ? 1u : 0u));
}

}  // namespace
}  // namespace jejak::cli
