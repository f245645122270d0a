// The one include for CSR offsets inside the firmware.
#pragma once

#include "regs_fallback.hpp"
