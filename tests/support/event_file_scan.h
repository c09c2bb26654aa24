// An independent scan of event files for tests: counts, weight names and
// per-weight sums taken from the text with regular expressions, never from
// goldmine's readers, so that reader tests compare against something else.
#pragma once

#include <zlib.h>

#include <cstdint>
#include <map>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

namespace goldmine::testing {

inline std::string Decompressed(const std::string& path) {
  gzFile file = gzopen(path.c_str(), "rb");
  std::string text;
  char buffer[1 << 16];
  int read = 0;
  while ((read = gzread(file, buffer, sizeof(buffer))) > 0)
    text.append(buffer, static_cast<std::size_t>(read));
  gzclose(file);
  return text;
}

inline std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream stream(text);
  for (std::string line; std::getline(stream, line);) lines.push_back(line);
  return lines;
}

inline std::vector<std::string> Words(const std::string& line) {
  std::istringstream stream(line);
  std::vector<std::string> words;
  for (std::string word; stream >> word;) words.push_back(word);
  return words;
}

// What a file holds according to the independent scan.
struct Expected {
  std::int64_t num_events = 0;
  std::vector<std::string> names;
  std::map<std::string, double> sums;
  std::map<std::string, std::int64_t> negatives;

  void Add(const std::string& name, double value) {
    sums[name] += value;
    if (value < 0) ++negatives[name];
  }
};

inline Expected ScanLhe(const std::string& path) {
  Expected expected;
  expected.names.push_back("nominal");
  const std::string text = Decompressed(path);
  const std::regex weight_id(R"(<weight\s+id=['"]([^'"]+)['"])");
  const std::string header = text.substr(0, text.find("<event"));
  for (std::sregex_iterator it(header.begin(), header.end(), weight_id), end;
       it != end;
       ++it) {
    expected.names.push_back((*it)[1]);
  }
  const std::regex wgt(
      R"(<wgt\s+id=['"]([^'"]+)['"]\s*>\s*([^<\s]+)\s*</wgt>)");
  const std::vector<std::string> lines = Lines(text);
  for (std::size_t i = 0; i < lines.size(); ++i) {
    if (lines[i].rfind("<event", 0) != 0) continue;
    ++expected.num_events;
    expected.Add("nominal", std::stod(Words(lines[i + 1])[2]));
    std::size_t j = i + 1;
    std::vector<double> positional;
    bool in_weights = false;
    for (; lines[j].rfind("</event>", 0) != 0; ++j) {
      std::smatch match;
      if (std::regex_search(lines[j], match, wgt))
        expected.Add(match[1], std::stod(match[2]));
      if (lines[j].find("</weights>") != std::string::npos) in_weights = false;
      if (in_weights) {
        for (const std::string& word : Words(lines[j]))
          positional.push_back(std::stod(word));
      }
      if (lines[j].find("<weights>") != std::string::npos) in_weights = true;
    }
    for (std::size_t w = 0; w < positional.size(); ++w)
      expected.Add(expected.names[w + 1], positional[w]);
  }
  return expected;
}

inline Expected ScanHepMC2(const std::string& path) {
  Expected expected;
  for (const std::string& line : Lines(Decompressed(path))) {
    if (line.rfind("N ", 0) == 0 && expected.names.empty()) {
      const std::regex quoted("\"([^\"]*)\"");
      for (std::sregex_iterator it(line.begin(), line.end(), quoted), end;
           it != end;
           ++it) {
        expected.names.push_back((*it)[1]);
      }
    }
  }
  std::int64_t event = 0;
  for (const std::string& line : Lines(Decompressed(path))) {
    if (line.rfind("E ", 0) != 0) continue;
    ++event;
    // E n mpi scale aqcd aqed process vertex nvertices beam1 beam2 nrandom
    // [r..] nweights [w..]
    const std::vector<std::string> words = Words(line);
    const std::size_t num_random = std::stoul(words[11]);
    const std::size_t num_weights = std::stoul(words[12 + num_random]);
    for (std::size_t w = 0; w < num_weights; ++w) {
      expected.Add(expected.names[w], std::stod(words[13 + num_random + w]));
    }
  }
  expected.num_events = event;
  return expected;
}

inline Expected ScanHepMC3(const std::string& path) {
  Expected expected;
  bool in_event = false;
  for (const std::string& line : Lines(Decompressed(path))) {
    if (line.rfind("E ", 0) == 0) {
      in_event = true;
      ++expected.num_events;
    } else if (line.rfind("W ", 0) == 0 && !in_event) {
      for (const std::string& name : Words(line.substr(2)))
        expected.names.push_back(name);
    } else if (line.rfind("W ", 0) == 0) {
      const std::vector<std::string> words = Words(line.substr(2));
      for (std::size_t w = 0; w < words.size(); ++w)
        expected.Add(expected.names[w], std::stod(words[w]));
    }
  }
  return expected;
}

}  // namespace goldmine::testing
