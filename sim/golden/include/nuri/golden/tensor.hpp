// Nuri golden model: a minimal dense tensor (row-major, C order) and NumPy .npy I/O.
#pragma once

#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

namespace nuri::golden {

using Shape = std::vector<std::int64_t>;

// Number of elements of a shape (1 for a scalar shape {}). Throws on a negative dimension.
std::int64_t shape_elements(const Shape& shape);
std::string shape_to_string(const Shape& shape);  // "[1,8,8,3]"

template <typename T>
struct Tensor {
  Shape shape;
  std::vector<T> data;

  Tensor() = default;
  explicit Tensor(Shape s, T fill = T{})
      : shape(std::move(s)), data(static_cast<std::size_t>(shape_elements(shape)), fill) {}
  Tensor(Shape s, std::vector<T> d) : shape(std::move(s)), data(std::move(d)) {
    if (static_cast<std::int64_t>(data.size()) != shape_elements(shape)) {
      throw std::invalid_argument("tensor data size " + std::to_string(data.size()) +
                                  " does not match shape " + shape_to_string(shape));
    }
  }

  std::size_t size() const { return data.size(); }
  int rank() const { return static_cast<int>(shape.size()); }
  std::int64_t dim(int i) const { return shape.at(static_cast<std::size_t>(i)); }

  // 4-D NHWC accessors (no bounds check beyond the vector's own in debug builds).
  T& at4(std::int64_t n, std::int64_t h, std::int64_t w, std::int64_t c) {
    return data[static_cast<std::size_t>(((n * shape[1] + h) * shape[2] + w) * shape[3] + c)];
  }
  const T& at4(std::int64_t n, std::int64_t h, std::int64_t w, std::int64_t c) const {
    return data[static_cast<std::size_t>(((n * shape[1] + h) * shape[2] + w) * shape[3] + c)];
  }
  T& at2(std::int64_t r, std::int64_t c) {
    return data[static_cast<std::size_t>(r * shape[1] + c)];
  }
  const T& at2(std::int64_t r, std::int64_t c) const {
    return data[static_cast<std::size_t>(r * shape[1] + c)];
  }

  bool operator==(const Tensor& o) const { return shape == o.shape && data == o.data; }
  bool operator!=(const Tensor& o) const { return !(*this == o); }
};

using TensorI8 = Tensor<std::int8_t>;
using TensorI32 = Tensor<std::int32_t>;

// Error for anything wrong with a .npy file: message names the file and the problem
// ("x.npy: expected dtype int8 ('<i1' or '|i1'), found '<f4'").
class NpyError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// NumPy .npy format versions 1.0-3.0, little-endian, C order. Supported dtypes: int8 and int32.
// load_npy<T> checks that the file's dtype is exactly T, that it is C order, and that the data is
// complete; expected_shape (if non-empty) must match. Throws NpyError.
template <typename T>
Tensor<T> load_npy(const std::string& path, const Shape& expected_shape = {});
template <typename T>
void save_npy(const std::string& path, const Tensor<T>& tensor);

// Same, on in-memory bytes (the name is used only in messages).
template <typename T>
Tensor<T> parse_npy(const std::vector<std::uint8_t>& bytes, const std::string& name,
                    const Shape& expected_shape = {});
template <typename T>
std::vector<std::uint8_t> serialize_npy(const Tensor<T>& tensor);

}  // namespace nuri::golden
