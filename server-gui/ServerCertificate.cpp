#include "server-gui/ServerCertificate.h"

#include "platform/tls/Certificate.h"
#include "platform/tls/TlsContext.h"
#include "server-gui/DataFolder.h"
#include "server-gui/ServerOptions.h"
#include "shared/files/PrivateFiles.h"

#include <filesystem>
#include <fstream>
#include <system_error>

namespace parley::server {
namespace {

namespace fs = std::filesystem;

/// Writes `content` to a new file that is the owner's before it holds anything.
std::string writePrivateFile(const fs::path& path, const std::string& content) {
    {
        std::ofstream create(path, std::ios::binary | std::ios::trunc);
        if (!create) return "cannot create " + path.u8string();
    }
    files::restrictToOwner(path);  // a file system without permissions keeps its own
    std::ofstream file(path, std::ios::binary | std::ios::trunc);
    file << content;
    file.close();
    if (!file) return "cannot write " + path.u8string();
    return {};
}

std::string ensureSelfSigned(const fs::path& certificate, const fs::path& key) {
    std::error_code error;
    const bool haveCertificate = fs::exists(certificate, error);
    const bool haveKey = fs::exists(key, error);
    if (haveCertificate && haveKey) return {};
    if (haveCertificate != haveKey) {
        const fs::path& present = haveCertificate ? certificate : key;
        const fs::path& missing = haveCertificate ? key : certificate;
        return "the data folder holds " + present.u8string() + " but not " + missing.u8string() +
               "; remove it to have a new self-signed certificate made (clients that pinned the old one "
               "will refuse the new one until their pin is removed)";
    }
    net::CertificateSpec spec;
    spec.commonName = "Parley server (self-signed)";
    spec.dnsNames = {"localhost"};
    spec.ipAddresses = {"127.0.0.1", "::1"};
    net::PemPair pair;
    try {
        pair = net::makeCertificate(spec);
    } catch (const net::TlsError& failure) {
        return std::string("cannot make a self-signed certificate: ") + failure.what();
    }
    // The key first: a certificate without its key would be refused at the next start.
    if (std::string failed = writePrivateFile(key, pair.key); !failed.empty()) return failed;
    return writePrivateFile(certificate, pair.certificate);
}

}  // namespace

std::string resolveCertificate(ServerOptions& options) {
    TlsConfig& tls = options.config.tls;
    tls.enabled = !options.plaintext;
    if (options.plaintext) return {};
    if (tls.certificateFile.empty() != tls.keyFile.empty())
        return tls.certificateFile.empty() ? "--tls-key needs --tls-cert too" : "--tls-cert needs --tls-key too";
    if (!tls.certificateFile.empty()) return {};
    const std::string folder = dataFolderFor(options);
    if (std::string error = prepareDataFolder(folder); !error.empty()) return error;
    const fs::path base = fs::u8path(folder);
    const fs::path certificate = base / kSelfSignedCertificateFile;
    const fs::path key = base / kSelfSignedKeyFile;
    if (std::string error = ensureSelfSigned(certificate, key); !error.empty()) return error;
    tls.certificateFile = certificate.u8string();
    tls.keyFile = key.u8string();
    return {};
}

}  // namespace parley::server
