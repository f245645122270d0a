// npusim run-layer: one conv2d / fully connected layer from a SPEC.json through the firmware.
#pragma once

namespace nuri::npusim {

// Returns the exit code (0 match, 1 mismatch or run failure, 2 usage / spec error).
int run_layer_command(int argc, char** argv);

}  // namespace nuri::npusim
