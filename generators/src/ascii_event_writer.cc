#include "ascii_event_writer.h"

#include <system_error>

#include "goldmine/core/errors.h"

namespace goldmine::generators {
namespace {

constexpr std::size_t kFlushSize = 1 << 16;

// WriterAscii::escape: backslash doubled, newline as "\|".
std::string Escape(const std::string& text) {
  std::string escaped;
  escaped.reserve(text.size());
  for (char c : text) {
    if (c == '\\') {
      escaped += "\\\\";
    } else if (c == '\n') {
      escaped += "\\|";
    } else {
      escaped += c;
    }
  }
  return escaped;
}

}  // namespace

void AsciiEventWriter::AppendNumber(std::string& text, double value) {
  char digits[32];
  const std::to_chars_result result =
      std::to_chars(digits, digits + sizeof(digits), value);
  text.append(digits, result.ptr);
}

std::string AsciiEventWriter::Number(double value) {
  std::string text;
  AppendNumber(text, value);
  return text;
}

AsciiEventWriter::AsciiEventWriter(
    const std::string& path,
    const std::vector<std::string>& weight_names,
    const Tool& tool,
    const std::map<std::string, std::string>& run_attributes)
    : path_(path), file_(std::fopen(path.c_str(), "wb")) {
  if (file_ == nullptr)
    throw InvalidInput(path + ": cannot write the event file");
  buffer_.reserve(2 * kFlushSize);
  buffer_ += "HepMC::Version 3.01.02\nHepMC::Asciiv3-START_EVENT_LISTING\nW ";
  for (std::size_t i = 0; i < weight_names.size(); ++i) {
    if (i > 0) buffer_ += "\\|";
    buffer_ += Escape(weight_names[i]);
  }
  buffer_ += "\nT " + Escape(tool.name) + "\\|" + Escape(tool.version) + "\\|" +
             Escape(tool.description) + "\n";
  for (const auto& [name, value] : run_attributes)
    buffer_ += "A " + name + " " + Escape(value) + "\n";
}

AsciiEventWriter::~AsciiEventWriter() {
  if (file_ != nullptr) std::fclose(file_);
}

void AsciiEventWriter::Append(long long value) {
  char digits[24];
  const std::to_chars_result result =
      std::to_chars(digits, digits + sizeof(digits), value);
  buffer_.append(digits, result.ptr);
}

void AsciiEventWriter::FlushIfFull() {
  if (buffer_.size() < kFlushSize) return;
  if (std::fwrite(buffer_.data(), 1, buffer_.size(), file_) != buffer_.size())
    failed_ = true;
  buffer_.clear();
}

void AsciiEventWriter::BeginEvent(long long number,
                                  int num_vertices,
                                  int num_particles,
                                  const std::vector<double>& weights) {
  FlushIfFull();
  buffer_ += "E ";
  Append(number);
  buffer_ += ' ';
  Append(static_cast<long long>(num_vertices));
  buffer_ += ' ';
  Append(static_cast<long long>(num_particles));
  buffer_ += "\nU GEV MM\nW";
  for (double w : weights) {
    buffer_ += ' ';
    Append(w);
  }
  buffer_ += '\n';
}

void AsciiEventWriter::CrossSection(const std::vector<double>& cross_sections,
                                    const std::vector<double>& errors,
                                    long long accepted,
                                    long long attempted) {
  buffer_ += "A 0 GenCrossSection ";
  Append(cross_sections.at(0));
  buffer_ += ' ';
  Append(errors.at(0));
  buffer_ += ' ';
  Append(accepted);
  buffer_ += ' ';
  Append(attempted);
  for (std::size_t k = 1; k < cross_sections.size(); ++k) {
    buffer_ += ' ';
    Append(cross_sections[k]);
    buffer_ += ' ';
    Append(errors.at(k));
  }
  buffer_ += '\n';
}

void AsciiEventWriter::PdfInfo(int id1,
                               int id2,
                               double x1,
                               double x2,
                               double scale,
                               double xf1,
                               double xf2) {
  buffer_ += "A 0 GenPdfInfo ";
  Append(static_cast<long long>(id1));
  buffer_ += ' ';
  Append(static_cast<long long>(id2));
  for (double value : {x1, x2, scale, xf1, xf2}) {
    buffer_ += ' ';
    Append(value);
  }
  buffer_ += " 0 0\n";
}

void AsciiEventWriter::StringAttribute(const std::string& name,
                                       const std::string& value) {
  buffer_ += "A 0 ";
  buffer_ += name;
  buffer_ += ' ';
  buffer_ += Escape(value);
  buffer_ += '\n';
}

void AsciiEventWriter::Particle(int id,
                                int parent,
                                int pdg_id,
                                const std::array<double, 4>& momentum,
                                double mass,
                                int status) {
  buffer_ += "P ";
  Append(static_cast<long long>(id));
  buffer_ += ' ';
  Append(static_cast<long long>(parent));
  buffer_ += ' ';
  Append(static_cast<long long>(pdg_id));
  for (double value : {momentum[1], momentum[2], momentum[3], momentum[0]}) {
    buffer_ += ' ';
    Append(value);
  }
  buffer_ += ' ';
  Append(mass);
  buffer_ += ' ';
  Append(static_cast<long long>(status));
  buffer_ += '\n';
}

void AsciiEventWriter::Vertex(int id, const std::vector<int>& incoming) {
  buffer_ += "V ";
  Append(static_cast<long long>(id));
  buffer_ += " 0 [";
  for (std::size_t i = 0; i < incoming.size(); ++i) {
    if (i > 0) buffer_ += ',';
    Append(static_cast<long long>(incoming[i]));
  }
  buffer_ += "]\n";
}

void AsciiEventWriter::Close() {
  buffer_ += "HepMC::Asciiv3-END_EVENT_LISTING\n\n";
  if (std::fwrite(buffer_.data(), 1, buffer_.size(), file_) != buffer_.size())
    failed_ = true;
  buffer_.clear();
  if (std::fclose(file_) != 0) failed_ = true;
  file_ = nullptr;
  if (failed_)
    throw InvalidInput(path_ + ": writing the event file failed (disk full?)");
}

}  // namespace goldmine::generators
