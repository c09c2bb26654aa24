#include "goldmine/generators/lhapdf_grid.h"

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <utility>

#include "goldmine/core/errors.h"

namespace goldmine::generators {
namespace {

constexpr int kStencilSize = 4;

std::string Trim(const std::string& text) {
  const auto begin = text.find_first_not_of(" \t\r");
  if (begin == std::string::npos) return "";
  const auto end = text.find_last_not_of(" \t\r");
  return text.substr(begin, end - begin + 1);
}

std::vector<std::string> Tokens(const std::string& line) {
  std::vector<std::string> tokens;
  std::istringstream stream(line);
  std::string token;
  while (stream >> token) tokens.push_back(token);
  return tokens;
}

// The lines of a text file; throws FileFormatError when it cannot be read.
std::vector<std::string> ReadLines(const std::string& path) {
  std::ifstream in(path);
  if (!in) {
    throw FileFormatError(path + ": cannot open the LHAPDF grid file");
  }
  std::vector<std::string> lines;
  std::string line;
  while (std::getline(in, line)) lines.push_back(line);
  if (in.bad()) throw FileFormatError(path + ": read error");
  return lines;
}

// Reads the tokens of one line as numbers, with the file and line number in
// every message.
class LineReader {
 public:
  LineReader(const std::string& path, const std::vector<std::string>& lines)
      : path_(path), lines_(lines) {}

  bool AtEnd() const { return next_ >= lines_.size(); }
  int line_number() const { return static_cast<int>(next_); }  // 1-based
  const std::string& Peek() const { return lines_[next_]; }
  std::string Next() { return lines_[next_++]; }

  [[noreturn]] void Fail(int line, const std::string& what) const {
    throw FileFormatError(path_ + ", line " + std::to_string(line) + ": " +
                          what);
  }

  // The numbers on the next non-blank line; `what` says what the line holds.
  std::vector<double> Numbers(const std::string& what) {
    SkipBlank();
    if (AtEnd()) {
      throw FileFormatError(path_ + ": file ends where " + what +
                            " were expected (after line " +
                            std::to_string(lines_.size()) + ")");
    }
    const int line = line_number() + 1;
    const std::string text = Next();
    if (Trim(text) == "---") Fail(line, "expected " + what + ", got '---'");
    std::vector<double> numbers;
    for (const std::string& token : Tokens(text)) {
      char* end = nullptr;
      errno = 0;
      const double value = std::strtod(token.c_str(), &end);
      if (end == token.c_str() || *end != '\0' || !std::isfinite(value)) {
        Fail(line,
             "'" + token + "' is not a finite number (reading " + what + ")");
      }
      numbers.push_back(value);
    }
    return numbers;
  }

  void SkipBlank() {
    while (!AtEnd() && Trim(Peek()).empty()) ++next_;
  }

 private:
  std::string path_;
  const std::vector<std::string>& lines_;
  std::size_t next_ = 0;
};

void RequireIncreasing(const LineReader& reader,
                       int line,
                       const std::vector<double>& knots,
                       const std::string& what) {
  if (knots.size() < 2) {
    reader.Fail(line,
                "expected at least 2 " + what + ", got " +
                    std::to_string(knots.size()));
  }
  for (std::size_t i = 0; i < knots.size(); ++i) {
    if (!(knots[i] > 0.0)) {
      reader.Fail(line,
                  what + " must be positive, got " + std::to_string(knots[i]));
    }
    if (i > 0 && !(knots[i] > knots[i - 1])) {
      reader.Fail(line,
                  what + " must increase, but knot " + std::to_string(i + 1) +
                      " is not above knot " + std::to_string(i));
    }
  }
}

// `Key: value` lines; others (lists, comments) are ignored.
void ParseMetadata(const std::vector<std::string>& lines,
                   std::map<std::string, std::string>* metadata) {
  for (const std::string& line : lines) {
    if (Trim(line) == "---") break;
    const auto colon = line.find(':');
    if (colon == std::string::npos || line.empty() || line[0] == '#' ||
        line[0] == ' ') {
      continue;
    }
    metadata->emplace(Trim(line.substr(0, colon)),
                      Trim(line.substr(colon + 1)));
  }
}

// Chooses `count` ≤ 4 consecutive knots around t (shifted inwards at the
// edges) and their Lagrange weights. t must lie within [knots.front(),
// knots.back()].
void LagrangeStencil(const std::vector<double>& knots,
                     double t,
                     int* first,
                     int* count,
                     double weights[kStencilSize]) {
  const int n = static_cast<int>(knots.size());
  *count = std::min(n, kStencilSize);
  // Interval i with knots[i] <= t < knots[i+1], clamped to the last one.
  int interval =
      static_cast<int>(std::upper_bound(knots.begin(), knots.end(), t) -
                       knots.begin()) -
      1;
  interval = std::clamp(interval, 0, n - 2);
  *first = std::clamp(interval - 1, 0, n - *count);
  for (int i = 0; i < *count; ++i) {
    double weight = 1.0;
    const double ti = knots[static_cast<std::size_t>(*first + i)];
    for (int j = 0; j < *count; ++j) {
      if (j == i) continue;
      const double tj = knots[static_cast<std::size_t>(*first + j)];
      weight *= (t - tj) / (ti - tj);
    }
    weights[i] = weight;
  }
}

}  // namespace

LhapdfGrid::LhapdfGrid(const std::string& path) : path_(path) {
  const std::vector<std::string> lines = ReadLines(path);
  ParseMetadata(lines, &metadata_);
  const auto format = metadata_.find("Format");
  if (format != metadata_.end() && format->second != "lhagrid1") {
    throw FileFormatError(path + ": Format '" + format->second +
                          "' is not supported; expected lhagrid1");
  }

  LineReader reader(path, lines);
  // Header up to the first separator: `Key: value` lines only, so that a
  // file whose first '---' is missing fails here instead of being misread.
  while (!reader.AtEnd() && Trim(reader.Peek()) != "---") {
    const int line = reader.line_number() + 1;
    const std::string text = Trim(reader.Next());
    if (!text.empty() && text[0] != '#' &&
        text.find(':') == std::string::npos) {
      reader.Fail(line,
                  "expected a 'Key: value' header line or '---', got '" +
                      text.substr(0, 40) + "'");
    }
  }
  if (reader.AtEnd()) {
    throw FileFormatError(path +
                          ": no '---' line; an lhagrid1 file has a header, "
                          "'---', then blocks each ending in '---'");
  }
  reader.Next();

  std::vector<double> first_x;
  for (;;) {
    reader.SkipBlank();
    if (reader.AtEnd()) break;  // after the last block's '---'
    const int block_number = static_cast<int>(blocks_.size()) + 1;
    const std::string block_name = "block " + std::to_string(block_number);
    Block block;

    const int x_line = reader.line_number() + 1;
    std::vector<double> x_knots = reader.Numbers("x knots of " + block_name);
    RequireIncreasing(reader, x_line, x_knots, "x knots");
    if (x_knots.back() > 1.0) {
      reader.Fail(x_line, "x knots must not exceed 1");
    }
    const int q_line = reader.line_number() + 1;
    block.q_knots = reader.Numbers("Q knots of " + block_name);
    RequireIncreasing(reader, q_line, block.q_knots, "Q knots");
    const int id_line = reader.line_number() + 1;
    const std::vector<double> ids =
        reader.Numbers("parton ids of " + block_name);
    std::vector<int> int_ids;
    for (double id : ids) {
      if (id != std::floor(id) || std::abs(id) > 1000) {
        reader.Fail(
            id_line,
            "parton id " + std::to_string(id) + " is not an integer PDG id");
      }
      int_ids.push_back(static_cast<int>(id));
    }
    if (int_ids.empty()) reader.Fail(id_line, "expected parton ids, got none");
    if (blocks_.empty()) {
      parton_ids_ = int_ids;
      first_x = x_knots;
    } else {
      if (int_ids != parton_ids_) {
        reader.Fail(id_line,
                    block_name +
                        " has other parton ids than block 1; "
                        "every block must list the same ids");
      }
      const double previous_end = blocks_.back().q_knots.back();
      if (block.q_knots.front() > previous_end * (1.0 + 1e-9) ||
          block.q_knots.front() <= blocks_.back().q_knots.front()) {
        reader.Fail(q_line,
                    block_name + " starts at Q = " +
                        std::to_string(block.q_knots.front()) +
                        " GeV; expected it to start where block " +
                        std::to_string(block_number - 1) + " ends (" +
                        std::to_string(previous_end) + " GeV)");
      }
    }
    for (double x : x_knots) block.log_x.push_back(std::log(x));
    for (double q : block.q_knots) block.log_q.push_back(std::log(q));

    const std::size_t nx = x_knots.size();
    const std::size_t nq = block.q_knots.size();
    const std::size_t columns = parton_ids_.size();
    const std::string value_what =
        std::to_string(columns) + " x f values (one per parton id)";
    block.values.reserve(nx * nq * columns);
    for (std::size_t row = 0; row < nx * nq; ++row) {
      reader.SkipBlank();
      if (reader.AtEnd() || Trim(reader.Peek()) == "---") {
        const std::string where =
            reader.AtEnd()
                ? "the file ends"
                : "line " + std::to_string(reader.line_number() + 1) +
                      " ends it";
        throw FileFormatError(path + ": " + block_name + " has " +
                              std::to_string(row) + " value lines where " +
                              where + "; expected " + std::to_string(nx * nq) +
                              " (" + std::to_string(nx) + " x knots × " +
                              std::to_string(nq) + " Q knots)");
      }
      const int line = reader.line_number() + 1;
      const std::vector<double> values = reader.Numbers(value_what);
      if (values.size() != columns) {
        reader.Fail(line,
                    "expected " + value_what + ", got " +
                        std::to_string(values.size()));
      }
      block.values.insert(block.values.end(), values.begin(), values.end());
    }
    reader.SkipBlank();
    if (reader.AtEnd()) {
      throw FileFormatError(path + ": " + block_name +
                            " is not closed by a '---' line (file ends after "
                            "its " +
                            std::to_string(nx * nq) + " value lines)");
    }
    if (Trim(reader.Peek()) != "---") {
      reader.Fail(reader.line_number() + 1,
                  "expected '---' after the " + std::to_string(nx * nq) +
                      " value lines of " + block_name + ", got more values");
    }
    reader.Next();
    blocks_.push_back(std::move(block));
  }
  if (blocks_.empty()) {
    throw FileFormatError(path + ": no grid block after the header's '---'");
  }
  x_min_ = first_x.front();
  x_max_ = first_x.back();

  column_of_index_.fill(-1);
  for (std::size_t column = 0; column < parton_ids_.size(); ++column) {
    const int id = parton_ids_[column];
    if (id == 22) {
      photon_column_ = static_cast<int>(column);
    } else if (PartonIndex(id) >= 0) {
      column_of_index_[static_cast<std::size_t>(PartonIndex(id))] =
          static_cast<int>(column);
    }
  }

  // The set's info file: NAME.info beside NAME_0000.dat.
  const std::filesystem::path data_path(path);
  std::string set_name = data_path.stem().string();
  const auto underscore = set_name.rfind('_');
  if (underscore != std::string::npos) set_name.resize(underscore);
  const std::filesystem::path info_path =
      data_path.parent_path() / (set_name + ".info");
  std::error_code error;
  if (std::filesystem::is_regular_file(info_path, error)) {
    std::map<std::string, std::string> info;
    ParseMetadata(ReadLines(info_path.string()), &info);
    // The member file's own header takes precedence.
    for (auto& [key, value] : info) metadata_.emplace(key, value);
  }
}

std::optional<std::string> LhapdfGrid::Metadata(const std::string& key) const {
  const auto entry = metadata_.find(key);
  if (entry == metadata_.end()) return std::nullopt;
  return entry->second;
}

std::optional<double> LhapdfGrid::alpha_s_mz() const {
  const std::optional<std::string> text = Metadata("AlphaS_MZ");
  if (!text) return std::nullopt;
  char* end = nullptr;
  const double value = std::strtod(text->c_str(), &end);
  if (end == text->c_str() || *end != '\0') return std::nullopt;
  return value;
}

LhapdfGrid::Stencil LhapdfGrid::MakeStencil(double x, double q) const {
  Stencil stencil;
  // The last block starting at or below Q: a shared boundary knot belongs to
  // the upper block.
  std::size_t block_index = 0;
  while (block_index + 1 < blocks_.size() &&
         q >= blocks_[block_index + 1].q_knots.front()) {
    ++block_index;
  }
  const Block& block = blocks_[block_index];
  stencil.block = &block;
  const double log_q =
      std::clamp(std::log(q), block.log_q.front(), block.log_q.back());
  const double log_x =
      std::clamp(std::log(x), block.log_x.front(), block.log_x.back());
  LagrangeStencil(block.log_x,
                  log_x,
                  &stencil.x_first,
                  &stencil.x_count,
                  stencil.x_weights);
  LagrangeStencil(block.log_q,
                  log_q,
                  &stencil.q_first,
                  &stencil.q_count,
                  stencil.q_weights);
  return stencil;
}

double LhapdfGrid::Apply(const Stencil& stencil, int column) const {
  const Block& block = *stencil.block;
  const std::size_t nq = block.q_knots.size();
  const std::size_t columns = parton_ids_.size();
  double sum = 0.0;
  for (int i = 0; i < stencil.x_count; ++i) {
    const std::size_t ix = static_cast<std::size_t>(stencil.x_first + i);
    double inner = 0.0;
    for (int j = 0; j < stencil.q_count; ++j) {
      const std::size_t iq = static_cast<std::size_t>(stencil.q_first + j);
      inner +=
          stencil.q_weights[j] * block.values[(ix * nq + iq) * columns +
                                              static_cast<std::size_t>(column)];
    }
    sum += stencil.x_weights[i] * inner;
  }
  return sum;
}

double LhapdfGrid::Xf(int pdg_id, double x, double q) const {
  internal::CheckKinematics(x, q);
  int column = -1;
  if (pdg_id == 22) {
    column = photon_column_;
  } else {
    internal::CheckPartonId(pdg_id);
    column = column_of_index_[static_cast<std::size_t>(PartonIndex(pdg_id))];
  }
  if (column < 0 || x >= 1.0) return 0.0;
  return Apply(MakeStencil(x, q), column);
}

PartonValues LhapdfGrid::XfAll(double x, double q) const {
  internal::CheckKinematics(x, q);
  PartonValues values{};
  if (x >= 1.0) return values;
  const Stencil stencil = MakeStencil(x, q);
  for (std::size_t index = 0; index < values.size(); ++index) {
    const int column = column_of_index_[index];
    if (column >= 0) values[index] = Apply(stencil, column);
  }
  return values;
}

std::string LhapdfGrid::Description() const {
  std::ostringstream out;
  out << "LHAPDF6 lhagrid1 grid "
      << std::filesystem::path(path_).filename().string() << " (" << path_
      << "), " << blocks_.size() << (blocks_.size() == 1 ? " block" : " blocks")
      << ", x in [" << x_min_ << ", " << x_max_ << "], Q in [" << q_min()
      << ", " << q_max() << "] GeV, 4-point Lagrange in (ln x, ln Q^2)";
  return out.str();
}

}  // namespace goldmine::generators
