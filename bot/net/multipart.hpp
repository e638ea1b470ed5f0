// A multipart/form-data body (RFC 7578) for uploads such as WeCom media/upload: text fields
// and file parts, with a random boundary that does not occur in the content. Not thread-safe.
#pragma once

#include <string>
#include <utility>
#include <vector>

namespace yimei::net {

class MultipartForm {
 public:
  MultipartForm();

  // A text field: Content-Disposition: form-data; name="NAME".
  MultipartForm& add_field(std::string name, std::string value);
  // A file part: form-data; name="NAME"; filename="FILE" plus `extra_params` appended as
  // `; key=value` (WeCom wants filelength=N), and its Content-Type.
  MultipartForm& add_file(std::string name, std::string filename, std::string content_type,
                          std::string data,
                          std::vector<std::pair<std::string, std::string>> extra_params = {});

  // "multipart/form-data; boundary=..." for the Content-Type header (take it after the last
  // add_*: the boundary is re-drawn if a part happens to contain it).
  std::string content_type() const;
  // The encoded body. Throws std::invalid_argument when a name or filename holds CR, LF or '"'.
  std::string body() const;
  const std::string& boundary() const { return boundary_; }

 private:
  struct Part {
    std::string name;
    std::string filename;  // empty for a text field
    std::string content_type;
    std::string data;
    std::vector<std::pair<std::string, std::string>> extra_params;
    bool is_file = false;
  };
  void ensure_boundary_unique() const;

  mutable std::string boundary_;
  std::vector<Part> parts_;
};

}  // namespace yimei::net
