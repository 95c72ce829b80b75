// Loading the clinic's signing identity, and making a self-signed one.
#include <fcntl.h>
#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509v3.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

#include "seal/crypto.h"
#include "util/util.h"

namespace consentkit {
namespace {

constexpr long kValidDays = 3653;     // ten years
constexpr std::size_t kMaxName = 64;  // ub-common-name and ub-organization-name (RFC 5280)

std::string ModeText(mode_t mode) {
  char text[8];
  std::snprintf(text, sizeof text, "%04o", static_cast<unsigned>(mode & 07777));
  return text;
}

// Closes a file descriptor on every path out.
class FileDescriptor {
 public:
  explicit FileDescriptor(int fd) : fd_(fd) {}
  ~FileDescriptor() {
    if (fd_ >= 0) ::close(fd_);
  }
  FileDescriptor(const FileDescriptor&) = delete;
  FileDescriptor& operator=(const FileDescriptor&) = delete;
  int get() const { return fd_; }

 private:
  int fd_;
};

std::string KeyReadError(const std::string& path, int err) {
  return "cannot read seal key " + path + ": " + std::strerror(err) +
         "; expected the clinic's PEM private key (consentkit keys init makes one)";
}

void MustBePrivate(int fd, const std::string& path) {
  struct stat info {};
  if (::fstat(fd, &info) != 0) throw SealError(KeyReadError(path, errno));
  if (!S_ISREG(info.st_mode)) throw SealError("seal key " + path + " is not a file");
  if ((info.st_mode & 077) == 0) return;
  throw SealError("seal key " + path + " can be read or changed by other users (mode " +
                  ModeText(info.st_mode) +
                  "); a private key must be private to its owner: run chmod 600 " + path);
}

// The key file's bytes, read through the descriptor whose mode was checked,
// so that the file cannot be swapped between the check and the read.
std::string ReadPrivateFile(const std::string& path) {
  FileDescriptor fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (fd.get() < 0) throw SealError(KeyReadError(path, errno));
  MustBePrivate(fd.get(), path);
  std::string bytes;
  char buffer[4096];
  for (;;) {
    ssize_t n = ::read(fd.get(), buffer, sizeof buffer);
    if (n == 0) return bytes;
    if (n > 0) {
      bytes.append(buffer, static_cast<std::size_t>(n));
    } else if (errno != EINTR) {
      throw SealError(KeyReadError(path, errno));
    }
  }
}

// Never prompts on a terminal for a passphrase: the server has none to give.
int NoPassphrase(char*, int, int, void*) { return -1; }

PkeyPtr ParsePrivateKey(const std::string& pem, const std::string& path) {
  ERR_clear_error();
  BioPtr in = MemoryBio(pem);
  PkeyPtr key(PEM_read_bio_PrivateKey(in.get(), nullptr, NoPassphrase, nullptr));
  ERR_clear_error();
  if (key) return key;
  if (pem.find("ENCRYPTED") != std::string::npos) {
    throw SealError("seal key " + path +
                    " is encrypted; expected an unencrypted PEM private key, protected by its file "
                    "mode (openssl pkey -in " +
                    path + " -out NEW.pem)");
  }
  throw SealError("seal key " + path +
                  " is not a PEM private key; expected \"-----BEGIN PRIVATE KEY-----\"");
}

// PDF viewers verify RSA and ECDSA signatures; EdDSA and RSA-PSS keys would
// make seals that many of them reject.
void MustBeUsable(const EVP_PKEY* key, const std::string& path) {
  int type = EVP_PKEY_get_base_id(key);
  if (type == EVP_PKEY_RSA || type == EVP_PKEY_EC) return;
  const char* name = OBJ_nid2sn(type);
  throw SealError("seal key " + path + " is a " + (name ? name : "unknown") +
                  " key, which PDF viewers cannot verify; expected an RSA or EC key");
}

// The certificate first, then its chain.
X509StackPtr ParseCertificates(const std::string& path) {
  std::string pem;
  try {
    pem = ReadFile(path);
  } catch (const FileError& e) {
    throw SealError(std::string(e.what()) + "; expected the clinic's PEM certificate");
  }
  X509StackPtr all;
  bool intact = ReadCertificates(pem, all);
  if (sk_X509_num(all.get()) == 0) {
    throw SealError("seal certificate " + path +
                    " holds no PEM certificate; expected \"-----BEGIN CERTIFICATE-----\"");
  }
  if (!intact) {
    throw SealError("seal certificate " + path + ": certificate " +
                    std::to_string(sk_X509_num(all.get()) + 1) + " in the file is damaged");
  }
  return all;
}

void MustMatch(const X509* certificate, const EVP_PKEY* key, const std::string& cert_path,
               const std::string& key_path) {
  if (X509_check_private_key(certificate, key) == 1) return;
  ERR_clear_error();
  throw SealError("seal key " + key_path + " does not belong to the certificate in " + cert_path +
                  " (CN=" + CommonName(certificate) +
                  "); expected the key that certificate was made for");
}

void MustBeValidNow(const X509* certificate, const std::string& cert_path) {
  const ASN1_TIME* from = X509_get0_notBefore(certificate);
  const ASN1_TIME* until = X509_get0_notAfter(certificate);
  if (X509_cmp_current_time(from) < 0 && X509_cmp_current_time(until) > 0) return;
  throw SealError("seal certificate " + cert_path + " (CN=" + CommonName(certificate) +
                  ") is not valid now: it is valid from " + TimeText(from) + " until " +
                  TimeText(until) + "; seals made with it would not verify");
}

}  // namespace

SigningIdentity::SigningIdentity(std::unique_ptr<Members> members) : m_(std::move(members)) {}
SigningIdentity::SigningIdentity(SigningIdentity&&) noexcept = default;
SigningIdentity& SigningIdentity::operator=(SigningIdentity&&) noexcept = default;
SigningIdentity::~SigningIdentity() = default;

const std::string& SigningIdentity::certificate_pem() const { return m_->pem; }
const std::string& SigningIdentity::common_name() const { return m_->common_name; }
const std::string& SigningIdentity::fingerprint_sha256() const { return m_->fingerprint; }

SigningIdentity SigningIdentity::Load(const std::string& cert_pem_path,
                                      const std::string& key_pem_path) {
  auto m = std::make_unique<Members>();
  m->chain = ParseCertificates(cert_pem_path);
  m->certificate.reset(sk_X509_shift(m->chain.get()));
  m->key = ParsePrivateKey(ReadPrivateFile(key_pem_path), key_pem_path);
  MustBeUsable(m->key.get(), key_pem_path);
  MustMatch(m->certificate.get(), m->key.get(), cert_pem_path, key_pem_path);
  MustBeValidNow(m->certificate.get(), cert_pem_path);
  m->common_name = CommonName(m->certificate.get());
  m->pem = Pem(m->certificate.get());
  m->fingerprint = FingerprintSha256(m->certificate.get());
  return SigningIdentity(std::move(m));
}

namespace {

// ECDSA on P-256 (NIST, named curve): as strong as RSA-3072 (128-bit
// security) and about 5x cheaper to sign with, which was a third of a
// submission's CPU time (bench/README.md). Acrobat, poppler (pdfsig) and
// pdf.js verify it, and SealPdf's signature is the same CMS either way.
PkeyPtr NewKey() {
  PkeyCtxPtr ctx(EVP_PKEY_CTX_new_id(EVP_PKEY_EC, nullptr));
  EVP_PKEY* key = nullptr;
  if (!ctx || EVP_PKEY_keygen_init(ctx.get()) <= 0 ||
      EVP_PKEY_CTX_set_ec_paramgen_curve_nid(ctx.get(), NID_X9_62_prime256v1) <= 0 ||
      EVP_PKEY_keygen(ctx.get(), &key) <= 0) {
    throw SealError("cannot make a seal key: " + OpenSslError());
  }
  return PkeyPtr(key);
}

// At most kMaxName characters, cut between characters.
std::string CertificateName(const std::string& utf8) {
  std::string name;
  std::size_t count = 0;
  for (std::size_t i = 0; i < utf8.size() && count < kMaxName; ++count) {
    std::size_t n = Utf8SequenceLength(static_cast<unsigned char>(utf8[i]));
    name += utf8.substr(i, n);
    i += n;
  }
  return name;
}

void SetSerialAndValidity(X509* certificate) {
  unsigned char random[16];
  if (RAND_bytes(random, sizeof random) != 1) {
    throw SealError("cannot make a certificate serial number: " + OpenSslError());
  }
  random[0] &= 0x7f;  // positive, as RFC 5280 requires
  BignumPtr serial(BN_bin2bn(random, sizeof random, nullptr));
  if (!serial || !BN_to_ASN1_INTEGER(serial.get(), X509_get_serialNumber(certificate)) ||
      !X509_set_version(certificate, X509_VERSION_3) ||
      !X509_gmtime_adj(X509_getm_notBefore(certificate), 0) ||
      !X509_time_adj_ex(X509_getm_notAfter(certificate), kValidDays, 0, nullptr)) {
    throw SealError("cannot make a certificate: " + OpenSslError());
  }
}

// Self-signed: the subject is also the issuer.
void SetNames(X509* certificate, const std::string& clinic_name) {
  std::string name = CertificateName(clinic_name);
  const auto* bytes = reinterpret_cast<const unsigned char*>(name.c_str());
  X509_NAME* subject = X509_get_subject_name(certificate);
  if (!X509_NAME_add_entry_by_txt(subject, "CN", MBSTRING_UTF8, bytes, -1, -1, 0) ||
      !X509_NAME_add_entry_by_txt(subject, "O", MBSTRING_UTF8, bytes, -1, -1, 0) ||
      !X509_set_issuer_name(certificate, subject)) {
    throw SealError("cannot name the certificate \"" + name + "\": " + OpenSslError());
  }
}

void AddExtension(X509* certificate, int nid, const char* value) {
  X509V3_CTX ctx{};
  X509V3_set_ctx(&ctx, certificate, certificate, nullptr, nullptr, 0);
  ExtensionPtr extension(X509V3_EXT_conf_nid(nullptr, &ctx, nid, value));
  if (!extension || !X509_add_ext(certificate, extension.get(), -1)) {
    throw SealError(std::string("cannot add certificate extension ") + value + ": " +
                    OpenSslError());
  }
}

// Extended key usage: e-mail protection, which NSS (pdfsig, Firefox)
// accepts for signing documents, and Microsoft's document signing.
X509Ptr SelfSigned(EVP_PKEY* key, const std::string& clinic_name) {
  X509Ptr certificate(X509_new());
  if (!certificate) throw SealError("out of memory: " + OpenSslError());
  SetSerialAndValidity(certificate.get());
  SetNames(certificate.get(), clinic_name);
  if (!X509_set_pubkey(certificate.get(), key)) {
    throw SealError("cannot make a certificate: " + OpenSslError());
  }
  AddExtension(certificate.get(), NID_basic_constraints, "critical,CA:FALSE");
  AddExtension(certificate.get(), NID_key_usage, "critical,digitalSignature,nonRepudiation");
  AddExtension(certificate.get(), NID_ext_key_usage, "emailProtection,1.3.6.1.4.1.311.10.3.12");
  AddExtension(certificate.get(), NID_subject_key_identifier, "hash");
  if (!X509_sign(certificate.get(), key, EVP_sha256())) {
    throw SealError("cannot sign the certificate: " + OpenSslError());
  }
  return certificate;
}

std::string PrivateKeyPem(EVP_PKEY* key) {
  BioPtr out(BIO_new(BIO_s_mem()));
  if (!out || !PEM_write_bio_PrivateKey(out.get(), key, nullptr, nullptr, 0, nullptr, nullptr)) {
    throw SealError("cannot write the seal key as PEM: " + OpenSslError());
  }
  return BioContents(out.get());
}

void MustNotExist(const std::string& path) {
  struct stat info {};
  if (::lstat(path.c_str(), &info) != 0 && errno == ENOENT) return;
  throw SealError(path +
                  " already exists; consentkit never replaces a seal key or certificate (move it "
                  "away first to make a new pair)");
}

// `data` as the new file dir/name with `mode`. It is written under a
// temporary name that mkstemp creates with mode 0600, so a key is never
// readable by others, not even for a moment, then linked into place: unlike
// rename, link fails if the name is taken, and never replaces a file.
void WriteNewFile(const std::string& dir, const std::string& name, const std::string& data,
                  mode_t mode) {
  std::string path = dir + "/" + name, temp = dir + "/." + name + ".XXXXXX";
  bool done = false;
  int err = 0;
  {
    FileDescriptor fd(::mkstemp(temp.data()));
    if (fd.get() < 0) throw SealError("cannot write " + path + ": " + std::strerror(errno));
    done = WriteAll(fd.get(), data) && ::fchmod(fd.get(), mode) == 0 && ::fsync(fd.get()) == 0 &&
           ::link(temp.c_str(), path.c_str()) == 0;
    err = errno;
  }
  ::unlink(temp.c_str());
  if (err == EEXIST && !done) MustNotExist(path);
  if (!done) throw SealError("cannot write " + path + ": " + std::strerror(err));
  FileDescriptor folder(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (folder.get() >= 0) ::fsync(folder.get());  // best effort: makes the new name durable
}

}  // namespace

void CreateSelfSignedIdentity(const std::string& dir, const std::string& clinic_name) {
  if (CollapseWhitespace(clinic_name).empty()) {
    throw SealError("cannot make a seal certificate without the clinic's name");
  }
  try {
    MakeDirectories(dir, 0700);
  } catch (const FileError& e) {
    throw SealError(e.what());
  }
  MustNotExist(dir + "/" + kSealKeyFile);
  MustNotExist(dir + "/" + kSealCertFile);
  PkeyPtr key = NewKey();
  X509Ptr certificate = SelfSigned(key.get(), clinic_name);
  std::string key_pem = PrivateKeyPem(key.get());
  WriteNewFile(dir, kSealKeyFile, key_pem, 0600);
  OPENSSL_cleanse(key_pem.data(), key_pem.size());
  try {
    WriteNewFile(dir, kSealCertFile, Pem(certificate.get()), 0644);
  } catch (const SealError&) {
    ::unlink((dir + "/" + kSealKeyFile).c_str());  // ours, made a moment ago: no pair, no key
    throw;
  }
}

}  // namespace consentkit
