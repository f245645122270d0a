// SPEC.json of `npusim run-layer` (docs/npusim.md): one conv2d or fully connected layer, tensors
// in .npy files next to the JSON.
#pragma once

#include <string>

#include "nuri/golden/ops.hpp"

namespace nuri::npusim {

// A problem with the spec; the message is "field 'name': what" or a file-level problem.
struct SpecError {
  std::string message;
};

struct LayerSpec {
  bool fc = false;
  golden::TensorI8 input, weights;
  golden::TensorI32 bias;
  bool has_bias = false;
  golden::ConvParams conv;  // conv2d (quantization is in conv.quant)
  golden::FcParams fcp;     // fully connected
  const golden::OutputQuant& quant() const { return fc ? fcp.quant : conv.quant; }
};

// Reads and validates the spec (throws SpecError).
LayerSpec load_spec(const std::string& path);

}  // namespace nuri::npusim
