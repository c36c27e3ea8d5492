#include "node/net/connection_gate.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <map>
#include <thread>
#include <unordered_map>
#include <vector>

#include <spdlog/spdlog.h>

namespace jejak::net {
namespace {

constexpr int kMaxEventsPerWait = 256;
constexpr int kMaxAcceptsPerWakeup = 64;
constexpr int64_t kRefusalLogInterval_ms = 60'000;

int64_t NowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

// Bytes on their way from one socket to the other.
struct Pipe {
  std::vector<char> buffer;
  size_t begin = 0;
  size_t end = 0;
  bool source_closed = false;  // the source said EOF
  bool sink_shut = false;      // we passed that EOF on (shutdown for writing)
  bool empty() const { return begin == end; }
};

struct Connection {
  int client_fd = -1;
  int backend_fd = -1;
  std::string client_address;
  Pipe up;    // client -> gRPC
  Pipe down;  // gRPC -> client
  int64_t opened_ms = 0;
  int64_t last_activity_ms = 0;
  bool client_spoke = false;
};

enum class Io { kProgress, kNothing, kFailed };

// Reads once from `fd` into the free space of `pipe`.
Io ReadInto(int fd, Pipe& pipe) {
  if (pipe.source_closed) return Io::kNothing;
  if (pipe.end == pipe.buffer.size() && pipe.begin > 0) {
    std::move(pipe.buffer.begin() + static_cast<long>(pipe.begin),
              pipe.buffer.begin() + static_cast<long>(pipe.end), pipe.buffer.begin());
    pipe.end -= pipe.begin;
    pipe.begin = 0;
  }
  if (pipe.end == pipe.buffer.size()) return Io::kNothing;
  ssize_t n = ::recv(fd, pipe.buffer.data() + pipe.end, pipe.buffer.size() - pipe.end, 0);
  if (n > 0) {
    pipe.end += static_cast<size_t>(n);
    return Io::kProgress;
  }
  if (n == 0) {
    pipe.source_closed = true;
    return Io::kProgress;
  }
  return (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR) ? Io::kNothing : Io::kFailed;
}

// Writes once from `pipe` to `fd`; passes the source's EOF on once everything is written.
Io WriteFrom(Pipe& pipe, int fd) {
  if (pipe.empty()) {
    if (pipe.source_closed && !pipe.sink_shut) {
      ::shutdown(fd, SHUT_WR);
      pipe.sink_shut = true;
      return Io::kProgress;
    }
    return Io::kNothing;
  }
  ssize_t n = ::send(fd, pipe.buffer.data() + pipe.begin, pipe.end - pipe.begin, MSG_NOSIGNAL);
  if (n > 0) {
    pipe.begin += static_cast<size_t>(n);
    if (pipe.empty()) pipe.begin = pipe.end = 0;
    return Io::kProgress;
  }
  return (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)) ? Io::kNothing
                                                                                 : Io::kFailed;
}

// Splits "host:port" / "[v6]:port".
bool SplitHostPort(const std::string& address, std::string* host, std::string* port) {
  size_t colon = address.rfind(':');
  if (colon == std::string::npos || colon == 0 || colon + 1 == address.size()) return false;
  *host = address.substr(0, colon);
  *port = address.substr(colon + 1);
  if (host->size() >= 2 && host->front() == '[' && host->back() == ']') {
    *host = host->substr(1, host->size() - 2);
  }
  return true;
}

std::string AddressText(const sockaddr_storage& address) {
  char text[INET6_ADDRSTRLEN] = {};
  if (address.ss_family == AF_INET) {
    inet_ntop(AF_INET, &reinterpret_cast<const sockaddr_in&>(address).sin_addr, text, sizeof text);
  } else if (address.ss_family == AF_INET6) {
    inet_ntop(AF_INET6, &reinterpret_cast<const sockaddr_in6&>(address).sin6_addr, text,
              sizeof text);
  }
  return text;
}

Result<int> Listen(const std::string& listen_address, int* bound_port) {
  std::string host;
  std::string port;
  if (!SplitHostPort(listen_address, &host, &port)) {
    return Status::Invalid("listen address '" + listen_address + "' is not host:port");
  }
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
  addrinfo* found = nullptr;
  if (int rc = ::getaddrinfo(host.c_str(), port.c_str(), &hints, &found); rc != 0) {
    return Status::Invalid("listen address '" + listen_address + "': " + gai_strerror(rc));
  }
  int fd = ::socket(found->ai_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  int one = 1;
  // SO_REUSEADDR only: a second process must not share the port (no SO_REUSEPORT).
  if (fd >= 0) ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  bool ok = fd >= 0 && ::bind(fd, found->ai_addr, found->ai_addrlen) == 0 &&
            ::listen(fd, SOMAXCONN) == 0;
  int error = errno;
  ::freeaddrinfo(found);
  if (!ok) {
    if (fd >= 0) ::close(fd);
    return Status::Unavailable("cannot listen on " + listen_address + ": " + std::strerror(error));
  }
  sockaddr_storage bound{};
  socklen_t length = sizeof bound;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&bound), &length);
  *bound_port = ntohs(bound.ss_family == AF_INET6
                          ? reinterpret_cast<sockaddr_in6&>(bound).sin6_port
                          : reinterpret_cast<sockaddr_in&>(bound).sin_port);
  return fd;
}

int ConnectBackend(const std::string& path) {
  int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) return -1;
  sockaddr_un address{};
  address.sun_family = AF_UNIX;
  std::memcpy(address.sun_path, path.data(), path.size());
  // A Unix socket connects at once or not at all (EAGAIN: gRPC's backlog is full).
  if (::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
    ::close(fd);
    return -1;
  }
  return fd;
}

}  // namespace

uint32_t MaxGateConnectionsFor(uint64_t fd_limit, uint64_t reserve_fds) {
  if (fd_limit <= reserve_fds) return 0;
  return static_cast<uint32_t>(std::min<uint64_t>((fd_limit - reserve_fds) / 3, UINT32_MAX));
}

Result<uint64_t> RaiseDescriptorLimit() {
  rlimit limit{};
  if (::getrlimit(RLIMIT_NOFILE, &limit) != 0) {
    return Status::Internal(std::string("getrlimit(RLIMIT_NOFILE): ") + std::strerror(errno));
  }
  if (limit.rlim_cur < limit.rlim_max) {
    rlimit raised = limit;
    raised.rlim_cur = limit.rlim_max;
    if (::setrlimit(RLIMIT_NOFILE, &raised) == 0) limit = raised;
  }
  return static_cast<uint64_t>(limit.rlim_cur);
}

class ConnectionGate::Impl {
 public:
  ~Impl() { Stop(); }

  Result<int> Start(ConnectionGateOptions options) {
    if (options.max_connections == 0 || options.max_connections_per_client == 0 ||
        options.buffer_bytes < 1024 || options.first_byte_timeout_ms == 0 ||
        options.idle_timeout_ms == 0) {
      return Status::Invalid("connection gate: every bound must be positive");
    }
    if (options.backend_unix_path.empty() ||
        options.backend_unix_path.size() >= sizeof(sockaddr_un{}.sun_path)) {
      return Status::Invalid("connection gate: backend socket path '" +
                             options.backend_unix_path + "' is empty or too long");
    }
    options_ = std::move(options);
    int port = 0;
    Result<int> listener = Listen(options_.listen_address, &port);
    if (!listener.ok()) return listener.status();
    listen_fd_ = *listener;
    reserve_fd_ = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
    wake_fd_ = ::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    epoll_fd_ = ::epoll_create1(EPOLL_CLOEXEC);
    if (reserve_fd_ < 0 || wake_fd_ < 0 || epoll_fd_ < 0) {
      CloseAll();
      return Status::Unavailable(std::string("connection gate: ") + std::strerror(errno));
    }
    Watch(listen_fd_, EPOLLIN);
    Watch(wake_fd_, EPOLLIN);
    thread_ = std::thread([this] { Run(); });
    return port;
  }

  void Stop() {
    if (!thread_.joinable()) return;
    uint64_t one = 1;
    (void)!::write(wake_fd_, &one, sizeof one);
    thread_.join();
    CloseAll();
  }

  ConnectionGateStats Stats() const {
    ConnectionGateStats stats;
    stats.open = open_.load();
    stats.admitted = admitted_.load();
    stats.refused_total = refused_total_.load();
    stats.refused_per_client = refused_per_client_.load();
    stats.refused_backend = refused_backend_.load();
    stats.closed_silent = closed_silent_.load();
    stats.closed_idle = closed_idle_.load();
    stats.accept_errors = accept_errors_.load();
    return stats;
  }

 private:
  void Watch(int fd, uint32_t events) {
    epoll_event event{};
    event.events = events;
    event.data.fd = fd;
    ::epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, fd, &event);
  }

  void Run() {
    std::vector<epoll_event> events(kMaxEventsPerWait);
    int64_t next_sweep_ms = NowMs() + SweepInterval_ms();
    while (true) {
      int wait_ms = static_cast<int>(std::max<int64_t>(0, next_sweep_ms - NowMs()));
      int n = ::epoll_wait(epoll_fd_, events.data(), kMaxEventsPerWait, wait_ms);
      for (int i = 0; i < n; ++i) {
        int fd = events[static_cast<size_t>(i)].data.fd;
        if (fd == wake_fd_) return;
        if (fd == listen_fd_) {
          AcceptAll();
        } else if (auto found = by_fd_.find(fd); found != by_fd_.end()) {
          Pump(found->second);
        }
      }
      if (NowMs() >= next_sweep_ms) {
        CloseQuiet();
        ResumeListener();
        next_sweep_ms = NowMs() + SweepInterval_ms();
      }
    }
  }

  int64_t SweepInterval_ms() const {
    return std::clamp<int64_t>(options_.first_byte_timeout_ms / 4, 10, 1000);
  }

  // At most kMaxAcceptsPerWakeup at a time, so a stream of new connections cannot starve the
  // relay; the listener is level-triggered and wakes us again.
  void AcceptAll() {
    for (int accepted = 0; accepted < kMaxAcceptsPerWakeup; ++accepted) {
      sockaddr_storage address{};
      socklen_t length = sizeof address;
      int fd = ::accept4(listen_fd_, reinterpret_cast<sockaddr*>(&address), &length,
                         SOCK_NONBLOCK | SOCK_CLOEXEC);
      if (fd < 0) {
        if (errno == EAGAIN || errno == EWOULDBLOCK) return;
        if (errno == EINTR || errno == ECONNABORTED) continue;
        ++accept_errors_;
        if ((errno == EMFILE || errno == ENFILE) && ShedOneWithReserve()) return;
        // Nothing could be shed (or another error): stop watching the listener until the next
        // sweep, or a level-triggered listener with a waiting connection would spin.
        PauseListener();
        return;
      }
      Admit(fd, AddressText(address));
    }
  }

  // Out of descriptors: accept the waiting connection on the reserve descriptor and close it, so
  // the listener does not stay readable forever (and gRPC never sees EMFILE at all).
  // Returns whether a connection was shed.
  bool ShedOneWithReserve() {
    if (reserve_fd_ < 0) return false;
    ::close(reserve_fd_);
    int fd = ::accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
    if (fd >= 0) ::close(fd);
    reserve_fd_ = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
    LogRefusal("out of file descriptors");
    return fd >= 0;
  }

  void PauseListener() {
    if (listener_paused_) return;
    epoll_event event{};
    event.data.fd = listen_fd_;
    ::epoll_ctl(epoll_fd_, EPOLL_CTL_MOD, listen_fd_, &event);
    listener_paused_ = true;
  }

  // At each sweep: the reserve descriptor back if it was lost, the listener watched again.
  void ResumeListener() {
    if (reserve_fd_ < 0) reserve_fd_ = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
    if (!listener_paused_) return;
    epoll_event event{};
    event.events = EPOLLIN;
    event.data.fd = listen_fd_;
    ::epoll_ctl(epoll_fd_, EPOLL_CTL_MOD, listen_fd_, &event);
    listener_paused_ = false;
  }

  void Admit(int client_fd, const std::string& client_address) {
    uint32_t& from_client = per_client_[client_address];
    if (open_.load() >= options_.max_connections) {
      ++refused_total_;
      Refuse(client_fd, client_address, "the node's connection bound (" +
                                            std::to_string(options_.max_connections) + ") is reached");
    } else if (from_client >= options_.max_connections_per_client) {
      ++refused_per_client_;
      Refuse(client_fd, client_address,
             "it has " + std::to_string(from_client) + " connections open, the bound per client");
    } else if (int backend_fd = ConnectBackend(options_.backend_unix_path); backend_fd < 0) {
      ++refused_backend_;
      Refuse(client_fd, client_address, "the ledger service does not accept more connections");
    } else {
      ++from_client;
      ++open_;
      ++admitted_;
      auto connection = std::make_shared<Connection>();
      connection->client_fd = client_fd;
      connection->backend_fd = backend_fd;
      connection->client_address = client_address;
      connection->up.buffer.resize(options_.buffer_bytes);
      connection->down.buffer.resize(options_.buffer_bytes);
      connection->opened_ms = connection->last_activity_ms = NowMs();
      by_fd_[client_fd] = connection;
      by_fd_[backend_fd] = connection;
      // Edge-triggered: Pump tries every direction whenever either side changes state.
      Watch(client_fd, EPOLLIN | EPOLLOUT | EPOLLRDHUP | EPOLLET);
      Watch(backend_fd, EPOLLIN | EPOLLOUT | EPOLLRDHUP | EPOLLET);
      return;
    }
    if (from_client == 0) per_client_.erase(client_address);
  }

  void Refuse(int fd, const std::string& client_address, const std::string& why) {
    ::close(fd);
    LogRefusal("refused a connection from " + client_address + ": " + why);
  }

  void LogRefusal(const std::string& what) {
    ++refusals_since_log_;
    int64_t now = NowMs();
    if (now - last_refusal_log_ms_ < kRefusalLogInterval_ms) return;
    spdlog::warn("ledger service: {} ({} refusal(s) in the last minute)", what,
                 refusals_since_log_);
    refusals_since_log_ = 0;
    last_refusal_log_ms_ = now;
  }

  // Moves bytes both ways until nothing more moves; closes the connection when both directions
  // are finished. A socket that fails ends only the direction it failed in: the other one still
  // delivers what it holds (gRPC's last answer before it closes must reach the client).
  void Pump(std::shared_ptr<Connection> c) {
    bool moved = true;
    while (moved) {
      Io from_client = ReadInto(c->client_fd, c->up);
      Io to_backend = WriteFrom(c->up, c->backend_fd);
      Io from_backend = ReadInto(c->backend_fd, c->down);
      Io to_client = WriteFrom(c->down, c->client_fd);
      if (from_client == Io::kFailed) c->up.source_closed = true;
      if (to_backend == Io::kFailed) EndDirection(c->up, c->client_fd);
      if (from_backend == Io::kFailed) c->down.source_closed = true;
      if (to_client == Io::kFailed) EndDirection(c->down, c->backend_fd);
      moved = false;
      for (Io io : {from_client, to_backend, from_backend, to_client}) moved = moved || io != Io::kNothing;
      if (moved) c->last_activity_ms = NowMs();
      if (from_client == Io::kProgress) c->client_spoke = true;
    }
    if (c->up.sink_shut && c->down.sink_shut) Close(*c);
  }

  // The sink of `pipe` failed: what it holds cannot be delivered, so stop reading its source.
  static void EndDirection(Pipe& pipe, int source_fd) {
    pipe.begin = pipe.end = 0;
    pipe.source_closed = true;
    pipe.sink_shut = true;
    ::shutdown(source_fd, SHUT_RD);
  }

  void Close(Connection& c) {
    if (c.client_fd < 0) return;
    by_fd_.erase(c.client_fd);
    by_fd_.erase(c.backend_fd);
    ::close(c.client_fd);  // closing removes them from the epoll set
    ::close(c.backend_fd);
    c.client_fd = c.backend_fd = -1;
    --open_;
    if (auto found = per_client_.find(c.client_address); found != per_client_.end()) {
      if (--found->second == 0) per_client_.erase(found);
    }
  }

  void CloseQuiet() {
    int64_t now = NowMs();
    std::vector<std::shared_ptr<Connection>> quiet;
    for (const auto& [fd, c] : by_fd_) {
      if (fd != c->client_fd) continue;
      bool silent = !c->client_spoke && now - c->opened_ms >= options_.first_byte_timeout_ms;
      bool idle = now - c->last_activity_ms >= options_.idle_timeout_ms;
      if (silent || idle) quiet.push_back(c);
      if (silent) ++closed_silent_;
      else if (idle) ++closed_idle_;
    }
    for (const auto& c : quiet) Close(*c);
  }

  void CloseAll() {
    for (auto& [fd, c] : by_fd_) {
      if (fd == c->client_fd) {
        ::close(c->client_fd);
        ::close(c->backend_fd);
        c->client_fd = c->backend_fd = -1;
      }
    }
    by_fd_.clear();
    per_client_.clear();
    open_ = 0;
    for (int* fd : {&listen_fd_, &reserve_fd_, &wake_fd_, &epoll_fd_}) {
      if (*fd >= 0) ::close(*fd);
      *fd = -1;
    }
  }

  ConnectionGateOptions options_;
  int listen_fd_ = -1;
  int reserve_fd_ = -1;
  int wake_fd_ = -1;
  int epoll_fd_ = -1;
  bool listener_paused_ = false;
  std::thread thread_;
  // Touched by the relay thread only.
  std::unordered_map<int, std::shared_ptr<Connection>> by_fd_;
  std::unordered_map<std::string, uint32_t> per_client_;
  uint64_t refusals_since_log_ = 0;
  int64_t last_refusal_log_ms_ = -kRefusalLogInterval_ms;
  std::atomic<uint64_t> open_{0}, admitted_{0}, refused_total_{0}, refused_per_client_{0},
      refused_backend_{0}, closed_silent_{0}, closed_idle_{0}, accept_errors_{0};
};

ConnectionGate::ConnectionGate() : impl_(std::make_unique<Impl>()) {}
ConnectionGate::~ConnectionGate() = default;
Result<int> ConnectionGate::Start(ConnectionGateOptions options) {
  return impl_->Start(std::move(options));
}
void ConnectionGate::Stop() { impl_->Stop(); }
ConnectionGateStats ConnectionGate::Stats() const { return impl_->Stats(); }

}  // namespace jejak::net
