// Plots for the `goldmine run` report, drawn by gnuplot (Debian gnuplot-nox):
// every figure as PNG (pngcairo) and SVG from one script, data and script kept
// beside the images so that a user can restyle a figure and rerun gnuplot.
#pragma once

#include <filesystem>
#include <iosfwd>
#include <string>

namespace goldmine::pipeline {

class GnuplotPlotter {
 public:
  // Images, data and scripts go to `folder`; gnuplot's messages to `log`.
  GnuplotPlotter(std::filesystem::path folder, std::ostream& log);

  // Whether a gnuplot executable was found on PATH.
  bool available() const { return !gnuplot_.empty(); }

  // Writes NAME_DATA.dat (whitespace-separated columns, blank lines between
  // blocks) and returns its path for use in a plot command.
  std::filesystem::path WriteData(const std::string& name,
                                  const std::string& text) const;

  // Renders `body` (gnuplot commands that draw one figure, after the terminal
  // and output are set) to NAME.png and NAME.svg, written under temporary
  // names and renamed. Returns false and sets `error` when gnuplot is missing
  // or fails.
  bool Render(const std::string& name,
              const std::string& body,
              int width,
              int height,
              std::string* error) const;

  const std::filesystem::path& folder() const { return folder_; }

 private:
  std::filesystem::path folder_;
  std::filesystem::path gnuplot_;
  std::ostream& log_;
};

// A string literal for a gnuplot script ("p_{T,W} [GeV]" in double quotes,
// with backslashes and quotes escaped).
std::string GnuplotString(const std::string& text);

}  // namespace goldmine::pipeline
