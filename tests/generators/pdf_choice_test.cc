#include "goldmine/generators/pdf_choice.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "goldmine/core/errors.h"
#include "goldmine/generators/builtin_pdf.h"
#include "goldmine/generators/lhapdf_grid.h"

namespace goldmine::generators {
namespace {

using ::testing::HasSubstr;

// A one-block grid with two x and two Q knots and only the gluon column, in
// a fresh folder per test (the info file sits beside the member file).
class PdfChoice : public ::testing::Test {
 protected:
  void SetUp() override {
    directory_ =
        std::filesystem::path(::testing::TempDir()) /
        ("goldmine_pdf_choice_" +
         std::string(
             ::testing::UnitTest::GetInstance()->current_test_info()->name()));
    std::filesystem::create_directories(directory_);
  }
  void TearDown() override { std::filesystem::remove_all(directory_); }

  std::string Write(const std::string& name, const std::string& text) const {
    const std::filesystem::path path = directory_ / name;
    std::ofstream(path) << text;
    return path.string();
  }
  std::string WriteGrid() const {
    return Write("tiny_0000.dat",
                 "PdfType: central\nFormat: lhagrid1\n---\n"
                 "0.1 0.5\n10 100\n21\n1.0\n2.0\n3.0\n4.0\n---\n");
  }

  std::filesystem::path directory_;
};

TEST_F(PdfChoice, WithoutAPathTheBuiltinPdfIsUsed) {
  const auto pdf = MakePartonDensity(std::nullopt);
  ASSERT_NE(pdf, nullptr);
  EXPECT_NE(dynamic_cast<const BuiltinPdf*>(pdf.get()), nullptr);
  EXPECT_EQ(pdf->Description(), BuiltinPdf().Description());
}

TEST_F(PdfChoice, WithAPathTheGridAtThatPathIsRead) {
  const std::string path = WriteGrid();
  const auto pdf = MakePartonDensity(path);
  const auto* grid = dynamic_cast<const LhapdfGrid*>(pdf.get());
  ASSERT_NE(grid, nullptr);
  EXPECT_EQ(grid->path(), path);
  // The knot values of the file: x f(0.1, 10 GeV) = 1, x f(0.5, 100 GeV) = 4.
  EXPECT_DOUBLE_EQ(pdf->Xf(kGluon, 0.1, 10.0), 1.0);
  EXPECT_DOUBLE_EQ(pdf->Xf(kGluon, 0.5, 100.0), 4.0);
}

TEST_F(PdfChoice, AnUnreadableGridIsAFileFormatErrorNamingIt) {
  const std::string path = (directory_ / "missing_0000.dat").string();
  EXPECT_THAT([&] { MakePartonDensity(path); },
              ::testing::ThrowsMessage<FileFormatError>(HasSubstr(path)));
}

TEST_F(PdfChoice, AlphaSComesFromTheSetInfoFile) {
  Write("tiny.info", "SetDesc: \"tiny\"\nAlphaS_MZ: 0.118\n");
  const auto pdf = MakePartonDensity(WriteGrid());
  ASSERT_TRUE(AlphaSFromPdfSet(*pdf).has_value());
  EXPECT_DOUBLE_EQ(*AlphaSFromPdfSet(*pdf), 0.118);
}

TEST_F(PdfChoice, NoAlphaSWithoutMetadataOrForTheBuiltinPdf) {
  EXPECT_FALSE(AlphaSFromPdfSet(*MakePartonDensity(WriteGrid())).has_value());
  EXPECT_FALSE(AlphaSFromPdfSet(BuiltinPdf()).has_value());
}

TEST_F(PdfChoice, AnAlphaSThatIsNotANumberIsIgnored) {
  Write("tiny.info", "AlphaS_MZ: 0.118abc\n");
  EXPECT_FALSE(AlphaSFromPdfSet(*MakePartonDensity(WriteGrid())).has_value());
}

}  // namespace
}  // namespace goldmine::generators
