// LEMON's maximum weight matching of a general graph (Edmonds' blossom algorithm with a
// priority-queue dual update, O(n m log n)), as one C function for ctypes
// (matching/lemon_matching.py): which edges are matched and, when asked, an optimal dual:
// the node values and the nested blossoms with their values. Built by `make setup` against
// LEMON 1.3.1's headers, vendored in third_party/ (the private members read below are
// that version's); LEMON's matching is header-only, so nothing is linked.
#include <lemon/matching.h>
#include <lemon/smart_graph.h>
#include <pthread.h>

#include <algorithm>
#include <cstdint>
#include <new>
#include <vector>

namespace {

using Graph = lemon::SmartGraph;
using Matching = lemon::MaxWeightedMatching<Graph, Graph::EdgeMap<int64_t>>;

// LEMON lists each blossom's nodes as a range of one node list (nested blossoms as nested
// ranges) but keeps the ranges private; BlossomIt hands out the nodes only, which would
// cost a pass per nesting level. An explicit instantiation may name private members
// ([temp.spec.general]), so this reads the two members it needs.
template <auto Member, typename Tag>
struct Reader {
  friend auto member(Tag) { return Member; }
};
struct BlossomRanges {
  friend auto member(BlossomRanges);
};
struct BlossomNodes {
  friend auto member(BlossomNodes);
};
template struct Reader<&Matching::_blossom_potential, BlossomRanges>;
template struct Reader<&Matching::_blossom_node_list, BlossomNodes>;

struct Dual {
  int64_t* node_value;  // n
  int32_t* position;    // n: the node's place in the blossom node list, or -1
  int64_t* blossoms;    // (begin, end, value) per blossom, children before parents
  int64_t count;        // blossoms written
};

struct Job {
  int32_t n;
  int64_t m;
  const int32_t* tails;
  const int32_t* heads;
  const int64_t* weights;
  uint8_t* matched;
  Dual* dual;
  int status;
};

void* solve(void* arg) {
  Job& job = *static_cast<Job*>(arg);
  try {
    Graph g;
    g.reserveNode(job.n);
    g.reserveEdge(static_cast<int>(job.m));
    for (int32_t i = 0; i < job.n; ++i) g.addNode();
    std::vector<Graph::Edge> edges;
    edges.reserve(job.m);
    for (int64_t j = 0; j < job.m; ++j)
      edges.push_back(g.addEdge(g.nodeFromId(job.tails[j]), g.nodeFromId(job.heads[j])));
    Graph::EdgeMap<int64_t> w(g);
    for (int64_t j = 0; j < job.m; ++j) w[edges[j]] = job.weights[j];
    Matching mwm(g, w);
    mwm.run();
    for (int64_t j = 0; j < job.m; ++j) job.matched[j] = mwm.matching(edges[j]) ? 1 : 0;
    if (job.dual != nullptr) {
      Dual& d = *job.dual;
      for (int32_t i = 0; i < job.n; ++i) {
        d.node_value[i] = mwm.nodeValue(g.nodeFromId(i));
        d.position[i] = -1;
      }
      const auto& nodes = mwm.*member(BlossomNodes{});
      for (size_t k = 0; k < nodes.size(); ++k) d.position[g.id(nodes[k])] = int32_t(k);
      d.count = 0;
      for (const auto& blossom : mwm.*member(BlossomRanges{})) {
        d.blossoms[3 * d.count] = blossom.begin;
        d.blossoms[3 * d.count + 1] = blossom.end;
        d.blossoms[3 * d.count + 2] = blossom.value;
        ++d.count;
      }
    }
    job.status = 0;
  } catch (const std::bad_alloc&) {
    job.status = 1;
  }
  return nullptr;
}

int run(Job& job);

}  // namespace

// 0: done; 1: out of memory; 2: no thread could be started.
extern "C" int jumelage_max_weight_matching(int32_t n, int64_t m, const int32_t* tails,
                                            const int32_t* heads, const int64_t* weights,
                                            uint8_t* matched) {
  Job job{n, m, tails, heads, weights, matched, nullptr, 2};
  return run(job);
}

// The same with the dual: node_value (n), position (n) and blossoms (3 x (n / 2 + 1):
// a laminar family of odd sets of at least 3 nodes has at most (n - 1) / 2 members).
// Returns the status; *count is the number of blossoms written.
extern "C" int jumelage_max_weight_matching_dual(int32_t n, int64_t m, const int32_t* tails,
                                                 const int32_t* heads, const int64_t* weights,
                                                 uint8_t* matched, int64_t* node_value,
                                                 int32_t* position, int64_t* blossoms,
                                                 int64_t* count) {
  Dual dual{node_value, position, blossoms, 0};
  Job job{n, m, tails, heads, weights, matched, &dual, 2};
  int status = run(job);
  *count = dual.count;
  return status;
}

namespace {

int run(Job& job) {
  // LEMON takes nested blossoms apart recursively, one frame per level: a large graph's
  // nesting overflows the caller's stack (8 MiB), so the work runs on a thread with room
  // for a frame per node. The stack is reserved, not committed: pages are used as touched.
  pthread_attr_t attr;
  if (pthread_attr_init(&attr) != 0) return 2;
  size_t stack = std::max<size_t>(size_t(64) << 20, size_t(job.n) * 512);
  pthread_t thread;
  if (pthread_attr_setstacksize(&attr, stack) == 0 &&
      pthread_create(&thread, &attr, solve, &job) == 0)
    pthread_join(thread, nullptr);
  pthread_attr_destroy(&attr);
  return job.status;
}

}  // namespace
