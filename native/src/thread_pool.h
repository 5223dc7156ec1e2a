// A persistent pool: threads are created once, so a call costs a wake-up (microseconds), not a spawn.
#pragma once
#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace a8w8 {

// A non-owning reference to a callable `void(int64_t)`: what run() takes instead of a std::function,
// whose construction allocates once a lambda captures more than two words (every small product paid a
// malloc and a free per run()). The callable must outlive the call it is passed to.
class TaskRef {
 public:
  template <typename Fn>
  TaskRef(const Fn& fn) : obj_(&fn), call_([](const void* o, int64_t t) { (*static_cast<const Fn*>(o))(t); }) {}  // NOLINT
  void operator()(int64_t t) const { call_(obj_, t); }

 private:
  const void* obj_;
  void (*call_)(const void*, int64_t);
};

class ThreadPool {
 public:
  explicit ThreadPool(int workers);
  ~ThreadPool();
  ThreadPool(const ThreadPool&) = delete;
  ThreadPool& operator=(const ThreadPool&) = delete;

  // Runs fn(task) for task in [0, tasks) on up to `threads` threads (the caller is one of them).
  // Tasks are handed out dynamically; returns when all are done. The first exception is rethrown.
  void run(int64_t tasks, int threads, TaskRef fn);
  // Threads available to run(): workers + the calling thread.
  int max_threads() const { return static_cast<int>(workers_.size()) + 1; }

 private:
  void worker_loop(int index);
  void drain();

  std::vector<std::thread> workers_;
  std::mutex run_mutex_;  // one run() at a time
  std::mutex mutex_;
  std::condition_variable wake_;
  std::condition_variable done_;
  uint64_t generation_ = 0;
  bool stopping_ = false;
  int active_workers_ = 0;   // workers asked to join the current run
  int busy_ = 0;             // workers still inside the current run
  const TaskRef* fn_ = nullptr;
  int64_t tasks_ = 0;
  std::atomic<int64_t> next_{0};
  std::exception_ptr error_;
};

// The process-wide pool, sized to the machine's hardware threads.
ThreadPool& global_pool();

}  // namespace a8w8
