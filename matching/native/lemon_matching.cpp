// LEMON's maximum weight matching of a general graph (Edmonds' blossom algorithm with a
// priority-queue dual update, O(n m log n)), as one C function for ctypes
// (matching/lemon_matching.py): which edges are matched. Built by `make setup` where
// LEMON's headers are (Debian: liblemon-dev); LEMON's matching is header-only, so nothing
// is linked.
#include <lemon/matching.h>
#include <lemon/smart_graph.h>
#include <pthread.h>

#include <algorithm>
#include <cstdint>
#include <new>
#include <vector>

namespace {

struct Job {
  int32_t n;
  int64_t m;
  const int32_t* tails;
  const int32_t* heads;
  const int64_t* weights;
  uint8_t* matched;
  int status;
};

void* solve(void* arg) {
  Job& job = *static_cast<Job*>(arg);
  try {
    lemon::SmartGraph g;
    g.reserveNode(job.n);
    g.reserveEdge(static_cast<int>(job.m));
    for (int32_t i = 0; i < job.n; ++i) g.addNode();
    std::vector<lemon::SmartGraph::Edge> edges;
    edges.reserve(job.m);
    for (int64_t j = 0; j < job.m; ++j)
      edges.push_back(g.addEdge(g.nodeFromId(job.tails[j]), g.nodeFromId(job.heads[j])));
    lemon::SmartGraph::EdgeMap<int64_t> w(g);
    for (int64_t j = 0; j < job.m; ++j) w[edges[j]] = job.weights[j];
    lemon::MaxWeightedMatching<lemon::SmartGraph, lemon::SmartGraph::EdgeMap<int64_t>> mwm(g, w);
    mwm.run();
    for (int64_t j = 0; j < job.m; ++j) job.matched[j] = mwm.matching(edges[j]) ? 1 : 0;
    job.status = 0;
  } catch (const std::bad_alloc&) {
    job.status = 1;
  }
  return nullptr;
}

}  // namespace

// 0: done; 1: out of memory; 2: no thread could be started.
extern "C" int jumelage_max_weight_matching(int32_t n, int64_t m, const int32_t* tails,
                                            const int32_t* heads, const int64_t* weights,
                                            uint8_t* matched) {
  Job job{n, m, tails, heads, weights, matched, 2};
  // LEMON takes nested blossoms apart recursively, one frame per level: a large graph's
  // nesting overflows the caller's stack (8 MiB), so the work runs on a thread with room
  // for a frame per node. The stack is reserved, not committed: pages are used as touched.
  pthread_attr_t attr;
  if (pthread_attr_init(&attr) != 0) return 2;
  size_t stack = std::max<size_t>(size_t(64) << 20, size_t(n) * 512);
  pthread_t thread;
  if (pthread_attr_setstacksize(&attr, stack) == 0 &&
      pthread_create(&thread, &attr, solve, &job) == 0)
    pthread_join(thread, nullptr);
  pthread_attr_destroy(&attr);
  return job.status;
}
