#include "thread_pool.h"

#include <exception>

namespace a8w8 {

ThreadPool::ThreadPool(int workers) {
  for (int i = 0; i < workers; ++i) workers_.emplace_back([this, i] { worker_loop(i); });
}

ThreadPool::~ThreadPool() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  for (auto& t : workers_) t.join();
}

void ThreadPool::drain() {
  for (;;) {
    int64_t task = next_.fetch_add(1);
    if (task >= tasks_) return;
    try {
      (*fn_)(task);
    } catch (...) {
      std::lock_guard<std::mutex> lock(mutex_);
      if (!error_) error_ = std::current_exception();
      next_.store(tasks_);  // stop handing out work
    }
  }
}

void ThreadPool::worker_loop(int index) {
  uint64_t seen = 0;
  for (;;) {
    {
      std::unique_lock<std::mutex> lock(mutex_);
      wake_.wait(lock, [&] { return stopping_ || (generation_ != seen && index < active_workers_); });
      if (stopping_) return;
      seen = generation_;
    }
    drain();
    {
      std::lock_guard<std::mutex> lock(mutex_);
      if (--busy_ == 0) done_.notify_one();
    }
  }
}

void ThreadPool::run(int64_t tasks, int threads, TaskRef fn) {
  if (tasks <= 0) return;
  int helpers = threads - 1;
  if (helpers > static_cast<int>(workers_.size())) helpers = static_cast<int>(workers_.size());
  if (helpers > tasks - 1) helpers = static_cast<int>(tasks - 1);
  if (helpers <= 0) {  // small work: no hand-off at all
    for (int64_t t = 0; t < tasks; ++t) fn(t);
    return;
  }
  std::lock_guard<std::mutex> run_lock(run_mutex_);
  {
    std::lock_guard<std::mutex> lock(mutex_);
    fn_ = &fn;
    tasks_ = tasks;
    next_.store(0);
    error_ = nullptr;
    active_workers_ = helpers;
    busy_ = helpers;
    ++generation_;
  }
  wake_.notify_all();
  drain();
  std::exception_ptr error;
  {
    std::unique_lock<std::mutex> lock(mutex_);
    done_.wait(lock, [&] { return busy_ == 0; });
    fn_ = nullptr;
    error = error_;
  }
  if (error) std::rethrow_exception(error);
}

ThreadPool& global_pool() {
  static ThreadPool pool([] {
    unsigned hw = std::thread::hardware_concurrency();
    return hw > 1 ? static_cast<int>(hw) - 1 : 0;
  }());
  return pool;
}

}  // namespace a8w8
