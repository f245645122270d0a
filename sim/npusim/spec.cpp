// SPEC.json parsing and validation with one-line errors naming the field.
#include "spec.hpp"

#include <cmath>
#include <fstream>
#include <limits>
#include <nlohmann/json.hpp>
#include <set>

namespace nuri::npusim {

namespace g = nuri::golden;
using json = nlohmann::json;

namespace {

[[noreturn]] void fail(const std::string& field, const std::string& what) {
  throw SpecError{"field '" + field + "': " + what};
}

bool is_int(const json& v) { return v.is_number_integer() || v.is_number_unsigned(); }

std::int64_t get_int(const json& j, const std::string& field, std::int64_t lo, std::int64_t hi,
                     std::int64_t def, bool required = false) {
  if (!j.contains(field)) {
    if (required) fail(field, "missing");
    return def;
  }
  const json& v = j.at(field);
  if (!is_int(v)) fail(field, "expected an integer");
  const auto x = v.get<std::int64_t>();
  if (x < lo || x > hi) {
    fail(field, "expected an integer in [" + std::to_string(lo) + ", " + std::to_string(hi) +
                    "], got " + std::to_string(x));
  }
  return x;
}

// [a, b] of positive integers.
std::pair<int, int> get_pair(const json& j, const std::string& field) {
  if (!j.contains(field)) return {1, 1};
  const json& v = j.at(field);
  if (!v.is_array() || v.size() != 2 || !is_int(v[0]) || !is_int(v[1]) ||
      v[0].get<std::int64_t>() < 1 || v[1].get<std::int64_t>() < 1 ||
      v[0].get<std::int64_t>() > 1 << 16 || v[1].get<std::int64_t>() > 1 << 16) {
    fail(field, "expected two positive integers");
  }
  return {v[0].get<int>(), v[1].get<int>()};
}

// A number or a list of numbers (one per output channel).
std::vector<double> get_numbers(const json& j, const std::string& field, std::int64_t cout,
                                bool integers) {
  const json& v = j.at(field);
  const char* kind = integers ? "an integer" : "a number";
  std::vector<double> out;
  auto one = [&](const json& x) {
    if (integers ? !is_int(x) : !x.is_number()) {
      fail(field, std::string("expected ") + kind + " or a list of " + std::to_string(cout) +
                      (integers ? " integers" : " numbers"));
    }
    out.push_back(x.get<double>());
  };
  if (v.is_array()) {
    if (static_cast<std::int64_t>(v.size()) != cout) {
      fail(field, "expected " + std::string(kind) + " or a list of " + std::to_string(cout) +
                      " entries (one per output channel), got " + std::to_string(v.size()));
    }
    for (const json& x : v) one(x);
  } else {
    one(v);
  }
  return out;
}

std::string dir_of(const std::string& path) {
  const auto slash = path.find_last_of('/');
  return slash == std::string::npos ? std::string() : path.substr(0, slash + 1);
}

template <typename T>
g::Tensor<T> load_tensor(const json& j, const std::string& field, const std::string& dir) {
  if (!j.contains(field)) fail(field, "missing");
  const json& v = j.at(field);
  if (!v.is_string() || v.get<std::string>().empty()) fail(field, "expected a .npy file name");
  std::string p = v.get<std::string>();
  if (p[0] != '/') p = dir + p;
  try {
    return g::load_npy<T>(p);
  } catch (const g::NpyError& e) {
    fail(field, e.what());
  } catch (const std::exception& e) {
    fail(field, p + ": " + e.what());
  }
}

}  // namespace

LayerSpec load_spec(const std::string& path) {
  std::ifstream f(path);
  if (!f) throw SpecError{"cannot open the spec file"};
  json j;
  try {
    j = json::parse(f);
  } catch (const json::parse_error& e) {
    throw SpecError{std::string("invalid JSON: ") + e.what()};
  }
  if (!j.is_object()) throw SpecError{"expected a JSON object"};
  static const std::set<std::string> known = {"op",
                                              "input",
                                              "weights",
                                              "bias",
                                              "stride",
                                              "dilation",
                                              "padding",
                                              "input_zero_point",
                                              "output_zero_point",
                                              "output_multiplier",
                                              "output_shift",
                                              "input_scale",
                                              "weight_scales",
                                              "output_scale",
                                              "activation_min",
                                              "activation_max",
                                              "rounding"};
  for (const auto& [k, v] : j.items()) {
    if (!known.count(k) && k.rfind('_', 0) != 0) fail(k, "unknown field");
  }
  LayerSpec s;
  if (!j.contains("op")) fail("op", "missing");
  if (!j["op"].is_string()) fail("op", "expected \"conv2d\" or \"fully_connected\"");
  const std::string op = j["op"].get<std::string>();
  if (op != "conv2d" && op != "fully_connected") {
    fail("op", "expected \"conv2d\" or \"fully_connected\", got \"" + op + "\"");
  }
  s.fc = op == "fully_connected";
  const std::string dir = dir_of(path);

  s.input = load_tensor<std::int8_t>(j, "input", dir);
  s.weights = load_tensor<std::int8_t>(j, "weights", dir);
  const std::string in_shape = g::shape_to_string(s.input.shape);
  const std::string w_shape = g::shape_to_string(s.weights.shape);
  for (auto d : s.input.shape) {
    if (d < 1) fail("input", "empty tensor " + in_shape);
  }
  for (auto d : s.weights.shape) {
    if (d < 1) fail("weights", "empty tensor " + w_shape);
  }
  if (s.fc) {
    if (s.input.rank() != 2) fail("input", "expected int8 [N,K], got shape " + in_shape);
    if (s.weights.rank() != 2 || s.weights.dim(1) != s.input.dim(1)) {
      fail("weights",
           "expected int8 [Cout," + std::to_string(s.input.dim(1)) + "], got shape " + w_shape);
    }
    for (const char* f : {"stride", "dilation", "padding"}) {
      if (j.contains(f)) fail(f, "not used by fully_connected");
    }
  } else {
    if (s.input.rank() != 4 || s.input.dim(0) != 1) {
      fail("input", "expected int8 [1,H,W,Cin], got shape " + in_shape);
    }
    if (s.weights.rank() != 4 || s.weights.dim(3) != s.input.dim(3)) {
      fail("weights", "expected int8 [Cout,KH,KW," + std::to_string(s.input.dim(3)) +
                          "], got shape " + w_shape);
    }
  }
  const std::int64_t cout = s.weights.dim(0);
  if (j.contains("bias")) {
    s.bias = load_tensor<std::int32_t>(j, "bias", dir);
    if (s.bias.rank() != 1 || s.bias.dim(0) != cout) {
      fail("bias", "expected int32 [" + std::to_string(cout) + "], got shape " +
                       g::shape_to_string(s.bias.shape));
    }
    s.has_bias = true;
  }

  g::OutputQuant q;
  const std::int32_t zp_in =
      static_cast<std::int32_t>(get_int(j, "input_zero_point", -128, 127, 0));
  q.output_zero_point = static_cast<std::int32_t>(get_int(j, "output_zero_point", -128, 127, 0));
  q.act_min = static_cast<std::int32_t>(get_int(j, "activation_min", -128, 127, -128));
  q.act_max = static_cast<std::int32_t>(get_int(j, "activation_max", -128, 127, 127));
  if (q.act_min > q.act_max) {
    fail("activation_max", "must be >= activation_min (" + std::to_string(q.act_min) + ")");
  }
  if (j.contains("rounding")) {
    const json& r = j["rounding"];
    if (!r.is_string() || (r != "double" && r != "single")) {
      fail("rounding", "expected \"double\" or \"single\"");
    }
    q.rounding = r == "single" ? g::Rounding::Single : g::Rounding::Double;
  }
  const bool by_mult = j.contains("output_multiplier") || j.contains("output_shift");
  const bool by_scale =
      j.contains("input_scale") || j.contains("weight_scales") || j.contains("output_scale");
  if (by_mult && by_scale) {
    fail(j.contains("output_multiplier") ? "output_multiplier" : "output_shift",
         "give either output_multiplier and output_shift, or input_scale, weight_scales and "
         "output_scale, not both");
  }
  if (by_mult) {
    for (const char* f : {"output_multiplier", "output_shift"}) {
      if (!j.contains(f)) fail(f, "missing (output_multiplier and output_shift go together)");
    }
    const auto m = get_numbers(j, "output_multiplier", cout, true);
    const auto sh = get_numbers(j, "output_shift", cout, true);
    if (m.size() != sh.size()) {
      fail("output_shift", "must have as many entries as output_multiplier");
    }
    q.multiplier.clear();
    q.shift.clear();
    for (double v : m) {
      if (v < 0 || v > std::numeric_limits<std::int32_t>::max()) {
        fail("output_multiplier", "expected integers in [0, 2147483647]");
      }
      q.multiplier.push_back(static_cast<std::int32_t>(v));
    }
    for (double v : sh) {
      if (v < -31 || v > 30) fail("output_shift", "expected integers in [-31, 30]");
      q.shift.push_back(static_cast<int>(v));
    }
  } else if (by_scale) {
    for (const char* f : {"input_scale", "weight_scales", "output_scale"}) {
      if (!j.contains(f)) {
        fail(f, "missing (input_scale, weight_scales and output_scale go together)");
      }
    }
    auto positive = [&](const char* f, const std::vector<double>& v) {
      for (double x : v) {
        if (!(x > 0) || !std::isfinite(x)) fail(f, "expected positive finite numbers");
      }
    };
    const auto in_s = get_numbers(j, "input_scale", 1, false);
    const auto w_s = get_numbers(j, "weight_scales", cout, false);
    const auto out_s = get_numbers(j, "output_scale", 1, false);
    positive("input_scale", in_s);
    positive("weight_scales", w_s);
    positive("output_scale", out_s);
    try {
      g::OutputQuant sq = g::output_quant_from_scales(in_s[0], w_s, out_s[0], q.output_zero_point,
                                                      q.act_min, q.act_max, q.rounding);
      q.multiplier = sq.multiplier;
      q.shift = sq.shift;
    } catch (const std::exception& e) {
      fail("weight_scales", e.what());
    }
    for (int sh : q.shift) {
      if (sh < -31 || sh > 30) {
        fail("weight_scales",
             "input_scale * weight_scale / output_scale is out of the range the "
             "NPU can requantize by (shift " +
                 std::to_string(sh) + ")");
      }
    }
  } else {
    fail("output_multiplier",
         "missing: give output_multiplier and output_shift, or input_scale, weight_scales and "
         "output_scale");
  }

  if (s.fc) {
    s.fcp.input_zero_point = zp_in;
    s.fcp.quant = q;
    return s;
  }
  g::ConvParams& p = s.conv;
  std::tie(p.stride_h, p.stride_w) = get_pair(j, "stride");
  std::tie(p.dilation_h, p.dilation_w) = get_pair(j, "dilation");
  p.pad_mode = g::PadMode::Valid;
  if (j.contains("padding")) {
    const json& v = j["padding"];
    if (v.is_string() && v == "same") {
      p.pad_mode = g::PadMode::Same;
    } else if (v.is_string() && v == "valid") {
      p.pad_mode = g::PadMode::Valid;
    } else if (v.is_array() && v.size() == 4 && std::all_of(v.begin(), v.end(), [](const json& x) {
                 return is_int(x) && x.get<std::int64_t>() >= 0 && x.get<std::int64_t>() <= 1 << 16;
               })) {
      p.pad_mode = g::PadMode::Explicit;
      p.pad = {v[0].get<int>(), v[1].get<int>(), v[2].get<int>(), v[3].get<int>()};
    } else {
      fail("padding",
           "expected \"same\", \"valid\" or [top, bottom, left, right] of non-negative "
           "integers");
    }
  }
  p.input_zero_point = zp_in;
  p.quant = q;
  try {
    g::compute_padding(p.pad_mode, p.pad, static_cast<int>(s.input.dim(1)),
                       static_cast<int>(s.input.dim(2)), static_cast<int>(s.weights.dim(1)),
                       static_cast<int>(s.weights.dim(2)), p.stride_h, p.stride_w, p.dilation_h,
                       p.dilation_w);
  } catch (const std::exception& e) {
    fail("padding", std::string("the output would be empty (") + e.what() + ")");
  }
  return s;
}

}  // namespace nuri::npusim
