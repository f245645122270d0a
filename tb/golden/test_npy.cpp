// NumPy .npy I/O: round trips, the exact bytes numpy.save writes, and clear errors.
#include <catch2/catch.hpp>

#include <unistd.h>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <limits>
#include <string>
#include <vector>

#include "nuri/golden/tensor.hpp"

using namespace nuri::golden;
using Catch::Matchers::Contains;

namespace {

using Bytes = std::vector<std::uint8_t>;

Bytes bytes_of(const std::string& s) { return Bytes(s.begin(), s.end()); }

// A v1.0 .npy image with the given header dict text (padded with spaces to a 64-byte multiple,
// ending in '\n') followed by raw data.
Bytes npy_v1(const std::string& dict, const Bytes& data) {
  std::string h = dict;
  const std::size_t total = ((10 + h.size() + 1 + 63) / 64) * 64;
  h.append(total - 10 - h.size() - 1, ' ');
  h += '\n';
  std::string s = std::string("\x93NUMPY\x01\x00", 8);
  s += static_cast<char>(h.size() & 0xFF);
  s += static_cast<char>(h.size() >> 8);
  s += h;
  Bytes b = bytes_of(s);
  b.insert(b.end(), data.begin(), data.end());
  return b;
}

// A unique path per process (ctest runs test cases in parallel processes).
std::string temp_path(const std::string& stem) {
  return (std::filesystem::temp_directory_path() /
          ("nuri_tb_golden_" + stem + "_" + std::to_string(::getpid()) + ".npy"))
      .string();
}

template <typename T>
void check_round_trip(const Tensor<T>& t) {
  INFO("shape " << shape_to_string(t.shape));
  const Bytes b = serialize_npy(t);
  CHECK(b.size() % 64 == t.data.size() * sizeof(T) % 64);  // header is a multiple of 64 bytes
  const Tensor<T> back = parse_npy<T>(b, "mem.npy");
  CHECK(back == t);
}

}  // namespace

TEST_CASE("npy round trips int8 tensors including 0-d and empty shapes", "[golden][smoke]") {
  check_round_trip(TensorI8({2, 3}, std::vector<std::int8_t>{1, -2, 3, -4, 5, 127}));
  check_round_trip(TensorI8({}, std::vector<std::int8_t>{-128}));  // 0-d
  check_round_trip(TensorI8({0}));
  check_round_trip(TensorI8({3, 0, 2}));
  check_round_trip(TensorI8({1, 2, 3, 4}, std::int8_t{-7}));
  check_round_trip(TensorI8({5}, std::vector<std::int8_t>{-128, -1, 0, 1, 127}));
}

TEST_CASE("npy round trips int32 tensors including 0-d and empty shapes", "[golden][smoke]") {
  const std::int32_t lo = std::numeric_limits<std::int32_t>::min();
  const std::int32_t hi = std::numeric_limits<std::int32_t>::max();
  check_round_trip(TensorI32({2, 2}, std::vector<std::int32_t>{lo, -1, 0x01020304, hi}));
  check_round_trip(TensorI32({}, std::vector<std::int32_t>{-123456789}));
  check_round_trip(TensorI32({0, 4}));
  check_round_trip(TensorI32({1234567}, 42));  // a shape with many digits
}

TEST_CASE("npy save and load through a file", "[golden][smoke]") {
  const std::string path = temp_path("file_round_trip");
  const TensorI32 t({2, 1, 3}, std::vector<std::int32_t>{1, -2, 3, -4, 5, -6});
  save_npy(path, t);
  CHECK(load_npy<std::int32_t>(path) == t);
  CHECK(load_npy<std::int32_t>(path, {2, 1, 3}) == t);
  CHECK_THROWS_WITH(
      load_npy<std::int32_t>(path, {2, 3}),
      Contains(path) && Contains("shape mismatch") && Contains("[2,3]") && Contains("[2,1,3]"));
  std::filesystem::remove(path);
  CHECK_THROWS_AS(load_npy<std::int32_t>(path), NpyError);
  CHECK_THROWS_WITH(load_npy<std::int32_t>(path), Contains(path) && Contains("cannot open"));
}

TEST_CASE("npy writes exactly the 128-byte v1.0 header numpy writes for a 2x3 int8 array",
          "[golden][smoke]") {
  // numpy.save(np.array([[1,-2,3],[-4,5,127]], np.int8)):
  //   magic "\x93NUMPY", version 1.0, header length (uint16 LE), then the dict
  //   "{'descr': '|i1', 'fortran_order': False, 'shape': (2, 3), }"         (59 characters)
  //   + 21 - len("2") = 20 spaces of growth room for axis 0 (NumPy >= 1.24),
  //   + spaces so that 10 + header length is a multiple of 64: 10 + 59 + 20 + 1 ('\n') = 90,
  //     next multiple of 64 is 128 -> 38 more spaces, then '\n'. Header length 118 = 0x76.
  const std::string dict = "{'descr': '|i1', 'fortran_order': False, 'shape': (2, 3), }";
  REQUIRE(dict.size() == 59);
  std::string expected =
      std::string("\x93NUMPY\x01\x00\x76\x00", 10) + dict + std::string(20 + 38, ' ') + "\n";
  REQUIRE(expected.size() == 128);
  expected += std::string("\x01\xfe\x03\xfc\x05\x7f", 6);  // 1 -2 3 -4 5 127
  const TensorI8 t({2, 3}, std::vector<std::int8_t>{1, -2, 3, -4, 5, 127});
  CHECK(serialize_npy(t) == bytes_of(expected));
  CHECK(parse_npy<std::int8_t>(bytes_of(expected), "known.npy") == t);
}

TEST_CASE("npy writes the v1.0 header numpy writes for a 0-d int32 array", "[golden][smoke]") {
  // numpy.save(np.int32(-2)): dict "{'descr': '<i4', 'fortran_order': False, 'shape': (), }"
  // (55 characters), no growth padding for 0-d; 10 + 55 + 1 = 66 -> pad to 128: 62 spaces.
  // Header length 118 = 0x76. Data -2 little-endian: fe ff ff ff.
  const std::string dict = "{'descr': '<i4', 'fortran_order': False, 'shape': (), }";
  REQUIRE(dict.size() == 55);
  const std::string expected = std::string("\x93NUMPY\x01\x00\x76\x00", 10) + dict +
                               std::string(62, ' ') + "\n" + std::string("\xfe\xff\xff\xff", 4);
  const TensorI32 t({}, std::vector<std::int32_t>{-2});
  CHECK(serialize_npy(t) == bytes_of(expected));
  CHECK(parse_npy<std::int32_t>(bytes_of(expected), "scalar.npy") == t);
}

TEST_CASE("npy reads format 2.0 and 3.0 headers and other key orders", "[golden][smoke]") {
  // v2.0/v3.0: 4-byte little-endian header length; the header need not be padded to read it.
  const std::string dict = "{'descr': '<i1', 'fortran_order': False, 'shape': (3,), }\n";
  for (char major : {'\x02', '\x03'}) {
    std::string s = std::string("\x93NUMPY", 6) + major + '\x00';
    s += static_cast<char>(dict.size());
    s += std::string(3, '\0');
    s += dict + "\x07\x08\x09";
    CHECK(parse_npy<std::int8_t>(bytes_of(s), "v2.npy") ==
          TensorI8({3}, std::vector<std::int8_t>{7, 8, 9}));
  }
  // Other key order, double quotes, no trailing comma.
  const Bytes b = npy_v1("{\"shape\": (1, 2), \"fortran_order\": False, \"descr\": \"<i4\"}",
                         Bytes{1, 0, 0, 0, 0xff, 0xff, 0xff, 0x7f});
  CHECK(parse_npy<std::int32_t>(b, "order.npy") ==
        TensorI32({1, 2}, std::vector<std::int32_t>{1, 0x7fffffff}));
}

TEST_CASE("npy errors name the file and the problem", "[golden][smoke]") {
  const std::string ok = "{'descr': '|i1', 'fortran_order': False, 'shape': (2, 3), }";
  const Bytes data6{1, 2, 3, 4, 5, 6};

  SECTION("bad magic") {
    Bytes b = npy_v1(ok, data6);
    b[1] = 'X';
    CHECK_THROWS_WITH(parse_npy<std::int8_t>(b, "magic.npy"),
                      Contains("magic.npy") && Contains("bad magic"));
    CHECK_THROWS_WITH(parse_npy<std::int8_t>(Bytes{1, 2, 3}, "tiny.npy"),
                      Contains("tiny.npy") && Contains("bad magic"));
  }
  SECTION("float dtype") {
    const Bytes b =
        npy_v1("{'descr': '<f4', 'fortran_order': False, 'shape': (2,), }", Bytes(8, 0));
    CHECK_THROWS_WITH(parse_npy<std::int8_t>(b, "float.npy"), Contains("float.npy") &&
                                                                  Contains("expected dtype int8") &&
                                                                  Contains("'<f4'"));
    CHECK_THROWS_WITH(
        parse_npy<std::int32_t>(b, "float.npy"),
        Contains("float.npy") && Contains("expected dtype int32") && Contains("'<f4'"));
  }
  SECTION("int32 file loaded as int8") {
    const Bytes b = serialize_npy(TensorI32({2}, std::vector<std::int32_t>{1, 2}));
    CHECK_THROWS_WITH(parse_npy<std::int8_t>(b, "i32.npy"),
                      Contains("i32.npy") && Contains("expected dtype int8") && Contains("'<i4'"));
    const Bytes b8 = serialize_npy(TensorI8({2}, std::vector<std::int8_t>{1, 2}));
    CHECK_THROWS_WITH(parse_npy<std::int32_t>(b8, "i8.npy"),
                      Contains("i8.npy") && Contains("expected dtype int32") && Contains("'|i1'"));
  }
  SECTION("uint8 is not int8") {
    const Bytes b =
        npy_v1("{'descr': '|u1', 'fortran_order': False, 'shape': (2,), }", Bytes(2, 0));
    CHECK_THROWS_WITH(parse_npy<std::int8_t>(b, "u8.npy"), Contains("u8.npy") && Contains("'|u1'"));
  }
  SECTION("fortran order") {
    const Bytes b = npy_v1("{'descr': '|i1', 'fortran_order': True, 'shape': (2, 3), }", data6);
    CHECK_THROWS_WITH(parse_npy<std::int8_t>(b, "fortran.npy"),
                      Contains("fortran.npy") && Contains("Fortran"));
  }
  SECTION("big-endian int32") {
    const Bytes b =
        npy_v1("{'descr': '>i4', 'fortran_order': False, 'shape': (1,), }", Bytes(4, 0));
    CHECK_THROWS_WITH(parse_npy<std::int32_t>(b, "big.npy"),
                      Contains("big.npy") && Contains("big-endian") && Contains("'>i4'"));
  }
  SECTION("truncated data") {
    Bytes b = npy_v1(ok, data6);
    b.pop_back();
    CHECK_THROWS_WITH(parse_npy<std::int8_t>(b, "short.npy"),
                      Contains("short.npy") && Contains("truncated data") && Contains("6 bytes"));
  }
  SECTION("truncated header") {
    Bytes b = npy_v1(ok, data6);
    b.resize(40);  // cut in the middle of the header text
    CHECK_THROWS_WITH(parse_npy<std::int8_t>(b, "cut.npy"),
                      Contains("cut.npy") && Contains("truncated header"));
    b.resize(9);  // cut inside the header-length field
    CHECK_THROWS_WITH(parse_npy<std::int8_t>(b, "cut.npy"),
                      Contains("cut.npy") && Contains("truncated header"));
  }
  SECTION("shape mismatch") {
    const Bytes b = npy_v1(ok, data6);
    CHECK_THROWS_WITH(parse_npy<std::int8_t>(b, "shape.npy", {3, 2}),
                      Contains("shape.npy") && Contains("shape mismatch") && Contains("[3,2]") &&
                          Contains("[2,3]"));
    CHECK(parse_npy<std::int8_t>(b, "shape.npy", {2, 3}).shape == Shape{2, 3});
  }
  SECTION("trailing bytes, unknown version, malformed dict") {
    Bytes b = npy_v1(ok, data6);
    b.push_back(0);
    CHECK_THROWS_WITH(parse_npy<std::int8_t>(b, "long.npy"),
                      Contains("long.npy") && Contains("trailing"));
    b = npy_v1(ok, data6);
    b[6] = 4;
    CHECK_THROWS_WITH(parse_npy<std::int8_t>(b, "v4.npy"),
                      Contains("v4.npy") && Contains("version 4.0"));
    b = npy_v1("{'descr': '|i1', 'shape': (2, 3), }", data6);
    CHECK_THROWS_WITH(parse_npy<std::int8_t>(b, "nokey.npy"),
                      Contains("nokey.npy") && Contains("fortran_order"));
    b = npy_v1("{'descr': '|i1', 'fortran_order': False, 'shape': (2, x), }", data6);
    CHECK_THROWS_AS(parse_npy<std::int8_t>(b, "bad.npy"), NpyError);
  }
}
