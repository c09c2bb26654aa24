#include "goldmine/pipeline/gnuplot_plotter.h"

#include <cstdlib>
#include <ostream>
#include <sstream>

#include "goldmine/core/atomic_file.h"
#include "goldmine/pipeline/child_process.h"

namespace goldmine::pipeline {
namespace fs = std::filesystem;

namespace {

fs::path FindOnPath(const std::string& program) {
  const char* path = std::getenv("PATH");
  std::stringstream folders(path != nullptr ? path : "/usr/bin:/bin");
  std::string folder;
  while (std::getline(folders, folder, ':')) {
    const fs::path candidate =
        fs::path(folder.empty() ? "." : folder) / program;
    std::error_code error;
    if (fs::is_regular_file(candidate, error)) return candidate;
  }
  return {};
}

// Talk-size fonts and lines for both terminals.
std::string Terminal(const std::string& type, int width, int height) {
  std::ostringstream text;
  if (type == "png") {
    text << "set terminal pngcairo enhanced size " << width << "," << height
         << " font 'Sans,18' linewidth 2.5\n";
  } else {
    text << "set terminal svg enhanced size " << width << "," << height
         << " font 'Sans,18' linewidth 2.5 background rgb 'white'\n";
  }
  return text.str();
}

}  // namespace

GnuplotPlotter::GnuplotPlotter(fs::path folder, std::ostream& log)
    : folder_(std::move(folder)), gnuplot_(FindOnPath("gnuplot")), log_(log) {
  fs::create_directories(folder_);
}

fs::path GnuplotPlotter::WriteData(const std::string& name,
                                   const std::string& text) const {
  const fs::path path = folder_ / (name + ".dat");
  WriteTextFileAtomically(path, text);
  return path;
}

bool GnuplotPlotter::Render(const std::string& name,
                            const std::string& body,
                            int width,
                            int height,
                            std::string* error) const {
  if (!available()) {
    *error = "gnuplot is not installed (Debian package gnuplot-nox)";
    return false;
  }
  const fs::path png = folder_ / (name + ".png");
  const fs::path svg = folder_ / (name + ".svg");
  const fs::path png_tmp = png.string() + ".tmp";
  const fs::path svg_tmp = svg.string() + ".tmp";
  // NAME.gp (kept for the user) draws NAME.png and NAME.svg; the run itself
  // draws into temporary names and renames them when gnuplot succeeded.
  auto script = [&](const fs::path& png_out, const fs::path& svg_out) {
    std::ostringstream text;
    text << "# " << name << ": written by goldmine run; `gnuplot " << name
         << ".gp` in this folder redraws it\n"
         << "set encoding utf8\n"
         << Terminal("png", width, height) << "set output "
         << GnuplotString(png_out.string()) << "\n"
         << body << "\nunset output\nreset\n"
         << Terminal("svg", width, height) << "set output "
         << GnuplotString(svg_out.string()) << "\n"
         << body << "\nunset output\n";
    return text.str();
  };
  WriteTextFileAtomically(folder_ / (name + ".gp"),
                          script(png.filename(), svg.filename()));
  const fs::path script_path = folder_ / (name + ".gp.run");
  WriteTextFileAtomically(script_path, script(png_tmp, svg_tmp));
  std::ostringstream ignored;
  log_ << "$ gnuplot " << script_path.string() << "\n";
  const ChildResult result =
      RunChild(gnuplot_, {script_path.string()}, std::nullopt, ignored, log_);
  fs::remove(script_path);
  if (result.exit_code != 0 || !fs::exists(png_tmp) || !fs::exists(svg_tmp)) {
    *error = "gnuplot failed on " + script_path.string() + ": " +
             result.last_error_line;
    fs::remove(png_tmp);
    fs::remove(svg_tmp);
    return false;
  }
  fs::rename(png_tmp, png);
  fs::rename(svg_tmp, svg);
  return true;
}

std::string GnuplotString(const std::string& text) {
  std::string quoted = "\"";
  for (char c : text) {
    if (c == '"' || c == '\\') quoted += '\\';
    quoted += c;
  }
  return quoted + "\"";
}

}  // namespace goldmine::pipeline
