// LEMON's maximum weight matching of a general graph (Edmonds' blossom algorithm with a
// priority-queue dual update, O(n m log n)), as one C function for ctypes
// (matching/lemon_matching.py). Built by `make setup` where LEMON's headers are
// (Debian: liblemon-dev); LEMON's matching is header-only, so nothing is linked.
#include <lemon/matching.h>
#include <lemon/smart_graph.h>

#include <cstdint>
#include <new>
#include <vector>

extern "C" int jumelage_max_weight_matching(int32_t n, int64_t m, const int32_t* tails,
                                            const int32_t* heads, const int64_t* weights,
                                            uint8_t* matched) {
  try {
    lemon::SmartGraph g;
    g.reserveNode(n);
    g.reserveEdge(static_cast<int>(m));
    for (int32_t i = 0; i < n; ++i) g.addNode();
    std::vector<lemon::SmartGraph::Edge> edges;
    edges.reserve(m);
    for (int64_t j = 0; j < m; ++j)
      edges.push_back(g.addEdge(g.nodeFromId(tails[j]), g.nodeFromId(heads[j])));
    lemon::SmartGraph::EdgeMap<int64_t> w(g);
    for (int64_t j = 0; j < m; ++j) w[edges[j]] = weights[j];
    lemon::MaxWeightedMatching<lemon::SmartGraph, lemon::SmartGraph::EdgeMap<int64_t>> mwm(g, w);
    mwm.run();
    for (int64_t j = 0; j < m; ++j) matched[j] = mwm.matching(edges[j]) ? 1 : 0;
    return 0;
  } catch (const std::bad_alloc&) {
    return 1;
  }
}
