// Nuri golden model: shapes and NumPy .npy I/O (format versions 1.0, 2.0, 3.0).
#include "nuri/golden/tensor.hpp"

#include <cctype>
#include <cstring>
#include <fstream>
#include <iterator>
#include <limits>
#include <optional>

namespace nuri::golden {

std::int64_t shape_elements(const Shape& shape) {
  std::int64_t n = 1;
  for (std::int64_t d : shape) {
    if (d < 0) throw std::invalid_argument("negative dimension in shape " + shape_to_string(shape));
    if (d != 0 && n > std::numeric_limits<std::int64_t>::max() / d) {
      throw std::invalid_argument("element count of shape " + shape_to_string(shape) +
                                  " overflows int64");
    }
    n *= d;
  }
  return n;
}

std::string shape_to_string(const Shape& shape) {
  std::string s = "[";
  for (std::size_t i = 0; i < shape.size(); ++i) {
    if (i) s += ',';
    s += std::to_string(shape[i]);
  }
  return s + "]";
}

namespace {

constexpr char kMagic[] = "\x93NUMPY";
constexpr std::size_t kMagicLen = 6;
constexpr std::size_t kArrayAlign = 64;
constexpr std::size_t kGrowthAxisMaxDigits = 21;

template <typename T>
struct NpyType;
template <>
struct NpyType<std::int8_t> {
  static constexpr const char* descr = "|i1";
  static constexpr const char* name = "int8 ('<i1' or '|i1')";
  static bool accepts(const std::string& d) { return d == "|i1" || d == "<i1"; }
};
template <>
struct NpyType<std::int32_t> {
  static constexpr const char* descr = "<i4";
  static constexpr const char* name = "int32 ('<i4')";
  static bool accepts(const std::string& d) { return d == "<i4"; }
};

// Parser for the Python-literal dict NumPy writes: {'descr': '<i4', 'fortran_order': False,
// 'shape': (2, 3), }. Accepts either quote style, any key order and whitespace.
class HeaderParser {
 public:
  HeaderParser(const std::string& text, const std::string& name) : s_(text), name_(name) {}

  struct Result {
    std::string descr;
    bool fortran_order = false;
    Shape shape;
  };

  Result parse() {
    Result r;
    bool have_descr = false, have_fortran = false, have_shape = false;
    skip_ws();
    expect('{');
    while (true) {
      skip_ws();
      if (peek() == '}') break;
      const std::string key = parse_string();
      skip_ws();
      expect(':');
      skip_ws();
      if (key == "descr") {
        if (peek() != '\'' && peek() != '"') {
          fail("unsupported dtype: 'descr' is not a simple type string (structured dtype?)");
        }
        r.descr = parse_string();
        have_descr = true;
      } else if (key == "fortran_order") {
        r.fortran_order = parse_bool();
        have_fortran = true;
      } else if (key == "shape") {
        r.shape = parse_shape();
        have_shape = true;
      } else {
        fail("unexpected key '" + key + "' in header");
      }
      skip_ws();
      if (peek() == ',') {
        ++pos_;
        continue;
      }
      skip_ws();
      if (peek() != '}') fail("malformed header: expected ',' or '}' at offset " + pos_str());
    }
    expect('}');
    skip_ws();
    if (pos_ != s_.size()) fail("malformed header: trailing characters after the dictionary");
    if (!have_descr) fail("header has no 'descr' key");
    if (!have_fortran) fail("header has no 'fortran_order' key");
    if (!have_shape) fail("header has no 'shape' key");
    return r;
  }

 private:
  [[noreturn]] void fail(const std::string& what) const { throw NpyError(name_ + ": " + what); }
  std::string pos_str() const { return std::to_string(pos_); }
  char peek() const { return pos_ < s_.size() ? s_[pos_] : '\0'; }
  void skip_ws() {
    while (pos_ < s_.size() && std::isspace(static_cast<unsigned char>(s_[pos_]))) ++pos_;
  }
  void expect(char c) {
    if (peek() != c) {
      fail(std::string("malformed header: expected '") + c + "' at offset " + pos_str());
    }
    ++pos_;
  }
  std::string parse_string() {
    const char q = peek();
    if (q != '\'' && q != '"')
      fail("malformed header: expected a quoted string at offset " + pos_str());
    ++pos_;
    const std::size_t end = s_.find(q, pos_);
    if (end == std::string::npos) fail("malformed header: unterminated string");
    std::string v = s_.substr(pos_, end - pos_);
    pos_ = end + 1;
    return v;
  }
  bool parse_bool() {
    if (s_.compare(pos_, 4, "True") == 0) {
      pos_ += 4;
      return true;
    }
    if (s_.compare(pos_, 5, "False") == 0) {
      pos_ += 5;
      return false;
    }
    fail("malformed header: 'fortran_order' must be True or False");
  }
  Shape parse_shape() {
    Shape shape;
    expect('(');
    while (true) {
      skip_ws();
      if (peek() == ')') break;
      if (!std::isdigit(static_cast<unsigned char>(peek()))) {
        fail("malformed header: bad 'shape' entry at offset " + pos_str());
      }
      std::int64_t v = 0;
      while (std::isdigit(static_cast<unsigned char>(peek()))) {
        if (v > (std::numeric_limits<std::int64_t>::max() - 9) / 10)
          fail("shape dimension too large");
        v = v * 10 + (s_[pos_] - '0');
        ++pos_;
      }
      if (peek() == 'L') ++pos_;  // Python 2 long suffix
      shape.push_back(v);
      skip_ws();
      if (peek() == ',') {
        ++pos_;
        continue;
      }
      skip_ws();
      if (peek() != ')') fail("malformed header: expected ',' or ')' in 'shape'");
    }
    expect(')');
    return shape;
  }

  const std::string& s_;
  const std::string& name_;
  std::size_t pos_ = 0;
};

std::string shape_repr(const Shape& shape) {  // Python tuple repr: (), (5,), (2, 3)
  std::string s = "(";
  for (std::size_t i = 0; i < shape.size(); ++i) {
    if (i) s += ", ";
    s += std::to_string(shape[i]);
  }
  if (shape.size() == 1) s += ',';
  return s + ")";
}

[[noreturn]] void npy_fail(const std::string& name, const std::string& what) {
  throw NpyError(name + ": " + what);
}

std::uint32_t read_le(const std::vector<std::uint8_t>& b, std::size_t at, int n) {
  std::uint32_t v = 0;
  for (int i = n - 1; i >= 0; --i) v = (v << 8) | b[at + static_cast<std::size_t>(i)];
  return v;
}

}  // namespace

template <typename T>
Tensor<T> parse_npy(const std::vector<std::uint8_t>& bytes, const std::string& name,
                    const Shape& expected_shape) {
  auto fail = [&](const std::string& what) { npy_fail(name, what); };
  if (bytes.size() < kMagicLen + 2 || std::memcmp(bytes.data(), kMagic, kMagicLen) != 0) {
    fail("not a .npy file (bad magic: expected \\x93NUMPY)");
  }
  const int major = bytes[6], minor = bytes[7];
  std::size_t len_bytes = 0;
  if (major == 1 && minor == 0) {
    len_bytes = 2;
  } else if ((major == 2 || major == 3) && minor == 0) {
    len_bytes = 4;
  } else {
    fail("unsupported .npy format version " + std::to_string(major) + "." + std::to_string(minor));
  }
  if (bytes.size() < kMagicLen + 2 + len_bytes)
    fail("truncated header (file ends in the header length)");
  const std::size_t header_len = read_le(bytes, kMagicLen + 2, static_cast<int>(len_bytes));
  const std::size_t data_at = kMagicLen + 2 + len_bytes + header_len;
  if (bytes.size() < data_at) {
    fail("truncated header (header length " + std::to_string(header_len) + ", but only " +
         std::to_string(bytes.size() - (kMagicLen + 2 + len_bytes)) + " bytes follow)");
  }
  const std::string header(bytes.begin() + static_cast<std::ptrdiff_t>(kMagicLen + 2 + len_bytes),
                           bytes.begin() + static_cast<std::ptrdiff_t>(data_at));
  const auto h = HeaderParser(header, name).parse();

  if (!h.descr.empty() && h.descr[0] == '>' && h.descr != ">i1") {
    fail("big-endian dtype '" + h.descr + "' is not supported (expected little-endian " +
         NpyType<T>::name + ")");
  }
  if (!NpyType<T>::accepts(h.descr)) {
    fail(std::string("expected dtype ") + NpyType<T>::name + ", found '" + h.descr + "'");
  }
  if (h.fortran_order) fail("Fortran-order arrays are not supported (fortran_order is True)");
  std::int64_t count = 0;
  try {
    count = shape_elements(h.shape);
  } catch (const std::invalid_argument& e) {
    fail(e.what());
  }
  if (!expected_shape.empty() && h.shape != expected_shape) {
    fail("shape mismatch: expected " + shape_to_string(expected_shape) + ", file has " +
         shape_to_string(h.shape));
  }
  const std::size_t available = bytes.size() - data_at;
  if (static_cast<std::uint64_t>(count) > available / sizeof(T)) {
    fail("truncated data: shape " + shape_to_string(h.shape) + " needs " +
         std::to_string(static_cast<std::uint64_t>(count) * sizeof(T)) + " bytes, file has " +
         std::to_string(available));
  }
  const std::size_t need = static_cast<std::size_t>(count) * sizeof(T);
  if (available != need) {
    fail("unexpected " + std::to_string(available - need) + " trailing bytes after the data");
  }
  std::vector<T> data(static_cast<std::size_t>(count));
  for (std::size_t i = 0; i < data.size(); ++i) {
    std::uint32_t v = 0;
    for (std::size_t k = sizeof(T); k-- > 0;) v = (v << 8) | bytes[data_at + i * sizeof(T) + k];
    data[i] = static_cast<T>(v);
  }
  return Tensor<T>(h.shape, std::move(data));
}

template <typename T>
std::vector<std::uint8_t> serialize_npy(const Tensor<T>& tensor) {
  if (static_cast<std::int64_t>(tensor.data.size()) != shape_elements(tensor.shape)) {
    throw std::invalid_argument("serialize_npy: data size " + std::to_string(tensor.data.size()) +
                                " does not match shape " + shape_to_string(tensor.shape));
  }
  // Byte for byte what numpy.save writes (format 1.0 when the header fits, else 2.0).
  std::string header = std::string("{'descr': '") + NpyType<T>::descr +
                       "', 'fortran_order': False, 'shape': " + shape_repr(tensor.shape) + ", }";
  if (!tensor.shape.empty()) {
    header.append(kGrowthAxisMaxDigits - std::to_string(tensor.shape[0]).size(), ' ');
  }
  const std::size_t hlen = header.size() + 1;  // + '\n'
  std::size_t len_bytes = 2;  // format 1.0 unless its 16-bit header length overflows
  std::size_t pad = kArrayAlign - ((kMagicLen + 2 + len_bytes + hlen) % kArrayAlign);
  if (hlen + pad > 0xFFFF) {
    len_bytes = 4;
    pad = kArrayAlign - ((kMagicLen + 2 + len_bytes + hlen) % kArrayAlign);
  }
  const std::size_t total_header = hlen + pad;

  // Sized once and written by index (GCC 12's -O3 flags bogus overflows on vector::insert).
  const std::size_t prefix = kMagicLen + 2 + len_bytes;
  std::vector<std::uint8_t> out(prefix + total_header + tensor.data.size() * sizeof(T),
                                static_cast<std::uint8_t>(' '));
  std::memcpy(out.data(), kMagic, kMagicLen);
  out[kMagicLen] = static_cast<std::uint8_t>(len_bytes == 2 ? 1 : 2);
  out[kMagicLen + 1] = 0;
  for (std::size_t i = 0; i < len_bytes; ++i) {
    out[kMagicLen + 2 + i] = static_cast<std::uint8_t>((total_header >> (8 * i)) & 0xFF);
  }
  std::memcpy(out.data() + prefix, header.data(), header.size());  // then spaces (pre-filled)
  out[prefix + total_header - 1] = static_cast<std::uint8_t>('\n');
  std::size_t at = prefix + total_header;
  for (T v : tensor.data) {
    const auto u = static_cast<std::uint32_t>(static_cast<std::int32_t>(v));
    for (std::size_t k = 0; k < sizeof(T); ++k) {
      out[at++] = static_cast<std::uint8_t>((u >> (8 * k)) & 0xFF);
    }
  }
  return out;
}

template <typename T>
Tensor<T> load_npy(const std::string& path, const Shape& expected_shape) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw NpyError(path + ": cannot open file for reading");
  std::vector<std::uint8_t> bytes((std::istreambuf_iterator<char>(in)),
                                  std::istreambuf_iterator<char>());
  if (in.bad()) throw NpyError(path + ": read error");
  return parse_npy<T>(bytes, path, expected_shape);
}

template <typename T>
void save_npy(const std::string& path, const Tensor<T>& tensor) {
  const auto bytes = serialize_npy(tensor);
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  if (!out) throw NpyError(path + ": cannot open file for writing");
  out.write(reinterpret_cast<const char*>(bytes.data()),
            static_cast<std::streamsize>(bytes.size()));
  out.close();
  if (!out) throw NpyError(path + ": write error");
}

template Tensor<std::int8_t> load_npy<std::int8_t>(const std::string&, const Shape&);
template Tensor<std::int32_t> load_npy<std::int32_t>(const std::string&, const Shape&);
template void save_npy<std::int8_t>(const std::string&, const Tensor<std::int8_t>&);
template void save_npy<std::int32_t>(const std::string&, const Tensor<std::int32_t>&);
template Tensor<std::int8_t> parse_npy<std::int8_t>(const std::vector<std::uint8_t>&,
                                                    const std::string&, const Shape&);
template Tensor<std::int32_t> parse_npy<std::int32_t>(const std::vector<std::uint8_t>&,
                                                      const std::string&, const Shape&);
template std::vector<std::uint8_t> serialize_npy<std::int8_t>(const Tensor<std::int8_t>&);
template std::vector<std::uint8_t> serialize_npy<std::int32_t>(const Tensor<std::int32_t>&);

}  // namespace nuri::golden
