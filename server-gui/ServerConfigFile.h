#pragma once
// The server's config file (/etc/parley/parley-server.conf for the service):
//
//   # comment
//   listen = 0.0.0.0:7878
//   db = odbc:DSN=parley
//
// One `name = value` per line, where name is a long option of parley-server
// without its dashes (see --help); blank lines and lines starting with # are
// skipped. Values are taken as written (no quotes, no escapes), spaces around
// the `=` are trimmed. An unknown name, a bad value, a line without `=` or a
// name given twice stops the server with "FILE:LINE: reason": a service must
// not start half-configured.

#include <string>

namespace parley::server {

struct ServerOptions;

/// Applies the file's settings to `options`. Returns an empty string, or the
/// first error as "PATH:LINE: reason" (or "PATH: cannot read ...").
std::string applyServerConfigFile(const std::string& path, ServerOptions& options);

}  // namespace parley::server
