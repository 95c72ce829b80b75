#include "pdf/seal_stamp.h"

#include <cctype>
#include <cmath>
#include <cstdio>

#include "pdf/content_stream.h"
#include "pdf/number.h"
#include "pdf/palette.h"
#include "seal/record_binding.h"
#include "util/util.h"

namespace consentkit {
namespace {

using palette::kAccent;
using palette::kInk;
using palette::kMuted;
using palette::kTint;
using palette::kWhite;

constexpr float kTextLeft = 64;  // right of the seal icon
constexpr double kPi = 3.14159265358979323846;

std::string Rgb(Color c, const char* op) {
  std::string out;
  AppendRgb(out, c, op);
  return out + "\n";
}

std::string TextOp(Canvas& canvas, const char* font, Face face, float size, Color color, float x,
                   float baseline, const std::string& utf8) {
  std::string out;
  AppendText(out, canvas.font(), {font, face, size, x, baseline, color}, utf8);
  return out;
}

std::string Box(float width, float height) {
  return "q\n" + Rgb(kTint, "rg") + Rgb(kAccent, "RG") + "0.9 w 0.45 0.45 " + Num(width - 0.9) +
         " " + Num(height - 0.9) + " re B\n" + Rgb(kAccent, "rg") + "0.45 0.45 3 " +
         Num(height - 0.9) + " re f\nQ\n";
}

// A seal: a toothed rosette, a white ring and a white tick, centred on
// (cx, cy) with outer radius r.
std::string SealIcon(float cx, float cy, float r) {
  std::string path;
  constexpr int kPoints = 48;  // 24 teeth
  for (int i = 0; i < kPoints; ++i) {
    double angle = 2 * kPi * i / kPoints;
    double radius = i % 2 == 0 ? r : 0.88 * r;
    path += Num(cx + radius * std::cos(angle)) + " " + Num(cy + radius * std::sin(angle)) +
            (i == 0 ? " m\n" : " l\n");
  }
  float ring = 0.7f * r, s = 0.3f * r;
  std::string circle = Num(cx + ring) + " " + Num(cy) + " m\n";
  for (int i = 1; i <= 36; ++i) {
    double angle = 2 * kPi * i / 36;
    circle += Num(cx + ring * std::cos(angle)) + " " + Num(cy + ring * std::sin(angle)) + " l\n";
  }
  return "q\n" + Rgb(kAccent, "rg") + path + "h f\n" + Rgb(kWhite, "RG") + "0.9 w\n" + circle +
         "h S\n2 w 1 J 1 j\n" + Num(cx - s) + " " + Num(cy + 0.05 * r) + " m " +
         Num(cx - 0.25 * s) + " " + Num(cy - 0.7 * s) + " l " + Num(cx + 1.05 * s) + " " +
         Num(cy + 0.85 * s) + " l S\nQ\n";
}

bool DigitsAt(const std::string& text, std::size_t at, std::size_t count) {
  for (std::size_t i = at; i < at + count; ++i) {
    if (!std::isdigit(static_cast<unsigned char>(text[i]))) return false;
  }
  return true;
}

// "2026-11-23T10:15:02Z" as a PDF date, "D:20261123101502Z".
std::string PdfDate(const std::string& iso) {
  bool ok = iso.size() == 20 && DigitsAt(iso, 0, 4) && iso[4] == '-' && DigitsAt(iso, 5, 2) &&
            iso[7] == '-' && DigitsAt(iso, 8, 2) && iso[10] == 'T' && DigitsAt(iso, 11, 2) &&
            iso[13] == ':' && DigitsAt(iso, 14, 2) && iso[16] == ':' && DigitsAt(iso, 17, 2) &&
            iso[19] == 'Z';
  if (!ok) {
    throw PdfError("seal time \"" + iso + "\" is not UTC ISO 8601; expected 2026-11-23T10:15:02Z");
  }
  std::string digits;
  for (char c : iso.substr(0, 19)) {
    if (std::isdigit(static_cast<unsigned char>(c))) digits += c;
  }
  return "D:" + digits + "Z";
}

std::string StampContent(Canvas& canvas, const SealAppearance& seal, float width,
                         const StampWords& words) {
  const Catalog& text = words.text;
  const float h = kSealStampHeight, room = width - kTextLeft - 10;
  std::string sealed_by = canvas.Ellipsize(
      Face::kBold, 10.5f, text.Format("pdf.seal.by", {{"clinic", seal.clinic_name}}), room);
  std::string date = DisplayDate(seal.signed_at_utc.substr(0, 10), text, words.date_order);
  std::string sealed_at =
      text.Format("pdf.seal.at", {{"date", date}, {"time", seal.signed_at_utc.substr(11, 8)}});
  std::string submission = text.Format("pdf.seal.submission", {{"id", seal.submission_id}});
  return Box(width, h) + SealIcon(33, h / 2, 22) +
         TextOp(canvas, "F2", Face::kBold, 10.5f, kInk, kTextLeft, h - 18, sealed_by) +
         TextOp(canvas, "F1", Face::kRegular, 8.5f, kInk, kTextLeft, h - 32, sealed_at) +
         TextOp(canvas, "F1", Face::kRegular, 8.5f, kInk, kTextLeft, h - 44,
                canvas.Ellipsize(Face::kRegular, 8.5f, submission, room)) +
         TextOp(canvas, "F1", Face::kRegular, 7, kMuted, kTextLeft, h - 57,
                canvas.Ellipsize(Face::kRegular, 7, text.Text("pdf.seal.note"), room));
}

// The seal's /Reason, which binds it to its record.
std::string Reason(const SealAppearance& seal) {
  if (!seal.content_sha256.empty() && !IsSha256Hex(seal.content_sha256)) {
    throw PdfError("the content hash of submission " + seal.submission_id + " for its seal, \"" +
                   seal.content_sha256 + "\", is not a SHA-256; expected 64 lower-case hex digits");
  }
  return SealReason(seal.submission_id, seal.content_sha256);
}

}  // namespace

SealFieldSpec SealField(Canvas& canvas, const SealAppearance& seal, float width,
                        const StampWords& words) {
  SealFieldSpec spec;
  spec.pdf_date = PdfDate(seal.signed_at_utc);
  spec.name = "seal";
  spec.tooltip = words.text.Format("pdf.seal.tooltip", {{"clinic", seal.clinic_name}});
  spec.signer_name = seal.clinic_name;
  spec.reason = Reason(seal);
  spec.appearance = StampContent(canvas, seal, width, words);
  spec.fonts = {{"F1", canvas.FontOf(Face::kRegular)}, {"F2", canvas.FontOf(Face::kBold)}};
  spec.contents_bytes = kSealContentsBytes;
  return spec;
}

}  // namespace consentkit
