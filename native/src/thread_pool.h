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

class ThreadPool {
 public:
  explicit ThreadPool(int workers);
  ~ThreadPool();
  ThreadPool(const ThreadPool&) = delete;
  ThreadPool& operator=(const ThreadPool&) = delete;

  // Runs fn(task) for task in [0, tasks) on up to `threads` threads (the caller is one of them).
  // Tasks are handed out dynamically; returns when all are done. The first exception is rethrown.
  void run(int64_t tasks, int threads, const std::function<void(int64_t)>& fn);
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
  const std::function<void(int64_t)>* fn_ = nullptr;
  int64_t tasks_ = 0;
  std::atomic<int64_t> next_{0};
  std::exception_ptr error_;
};

// The process-wide pool, sized to the machine's hardware threads.
ThreadPool& global_pool();

}  // namespace a8w8
