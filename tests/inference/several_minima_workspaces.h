// Workspaces whose likelihood has several minima (issue 14 items 1 and 13),
// shared by the library and command-line tests.
#pragma once

namespace goldmine::inference::testing {

// pyhf's validation model 2bin_2channel_coupledhisto (test_validation.py):
// bkg2 has down 45 and up 55 around a nominal of 120 in its second bin.
constexpr const char* kCoupledHisto = R"({"channels": [
  {"name": "signal", "samples": [
    {"name": "signal", "data": [30.0, 35.0], "modifiers": [
      {"name": "mu", "type": "normfactor", "data": null}]},
    {"name": "bkg1", "data": [100.0, 100.0], "modifiers": [
      {"name": "coupled_histosys", "type": "histosys",
       "data": {"lo_data": [90.0, 90.0], "hi_data": [110.0, 110.0]}}]},
    {"name": "bkg2", "data": [50.0, 120.0], "modifiers": [
      {"name": "coupled_histosys", "type": "histosys",
       "data": {"lo_data": [45.0, 45.0], "hi_data": [55.0, 55.0]}}]}]},
  {"name": "control", "samples": [
    {"name": "background", "data": [105.0, 100.0], "modifiers": [
      {"name": "coupled_histosys", "type": "histosys",
       "data": {"lo_data": [95.0, 90.0], "hi_data": [110.0, 115.0]}}]}]}],
 "observations": [{"name": "control", "data": [110.0, 105.0]},
                  {"name": "signal", "data": [170.0, 220.0]}],
 "measurements": [{"name": "meas", "config": {"poi": "mu", "parameters": []}}],
 "version": "1.0.0"})";

// Issue 14 item 1: the cr channel's second bin has both variations below
// the nominal (130 and 120 around 160).
constexpr const char* kSameSide = R"({"channels": [
  {"name": "sr", "samples": [
    {"name": "sig", "data": [20.0, 25.0], "modifiers": [
      {"name": "mu", "type": "normfactor", "data": null}]},
    {"name": "b1", "data": [100.0, 80.0], "modifiers": [
      {"name": "hs", "type": "histosys",
       "data": {"lo_data": [90.0, 75.0], "hi_data": [112.0, 86.0]}}]}]},
  {"name": "cr", "samples": [
    {"name": "b2", "data": [140.0, 160.0], "modifiers": [
      {"name": "hs", "type": "histosys",
       "data": {"lo_data": [130.0, 120.0], "hi_data": [150.0, 130.0]}}]}]}],
 "observations": [{"name": "sr", "data": [130.0, 110.0]},
                  {"name": "cr", "data": [145.0, 158.0]}],
 "measurements": [{"name": "m", "config": {"poi": "mu", "parameters": []}}],
 "version": "1.0.0"})";

}  // namespace goldmine::inference::testing
