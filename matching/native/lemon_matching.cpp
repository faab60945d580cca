// LEMON's maximum weight matching of a general graph (Edmonds' blossom algorithm with a
// priority-queue dual update, O(n m log n)), as one C function for ctypes
// (matching/lemon_matching.py): which edges are matched, an optimal dual (node values and
// nested blossoms with their values) and the blossoms' cycles, from LEMON's fractional
// jump start or resumed from a given state. Built by `make setup` against LEMON 1.3.1's
// headers, vendored in third_party/ (header-only: nothing is linked).
//
// Why resume: the priced blossom (matching/priced_blossom.py) solves a core of edges, adds
// the few edges the core's dual prices below zero and solves again. From its jump start
// LEMON redoes the whole core (5-8 s at 400 000 edges); resumed from the last optimum's
// node values, blossoms and matching, with what the new edges disturb taken apart (in
// Python, where the reduction is known: matching/blossom_resume.py), it grows trees only
// from the nodes left exposed with a positive value.
//
// The state in and out, every value times 4 (LEMON's dualScale):
//   y[node], mate[node] (the matched edge, or -1),
//   blossoms children before parents: z, and each one's children in cycle order (a child
//   below n is a node, else n + the child blossom's index), with each child's arc to the
//   child before it in that order (the cycle's tight edges; arc = 2 * edge + 1 when it
//   runs against the edge's tail -> head direction). That is LEMON's own representation:
//   a blossom's sub-blossoms in HeapUnionFind's order, each one's `next` arc.
// Valid state: every edge has y_a + y_c + (z of the blossoms holding both) >= 4 w, equal on
// matched edges and on the cycle arcs; a node exposed with y > 0 is where the search
// starts (a root), and the roots' values are even; a blossom with its base exposed and y
// = 0 there stays as it is. The state is set through the one line vendored matching.h
// adds (friend MaxWeightedMatchingAccess).
#include <lemon/matching.h>
#include <lemon/smart_graph.h>
#include <pthread.h>

#include <algorithm>
#include <cstdint>
#include <limits>
#include <new>
#include <vector>

namespace {

using Graph = lemon::SmartGraph;
using Matching = lemon::MaxWeightedMatching<Graph, Graph::EdgeMap<int64_t>>;

struct Warm {  // the state to start from (null: LEMON's own fractional start)
  const int64_t* y;
  const int64_t* mate;
  int64_t blossoms;
  const int64_t* z;
  const int64_t* child_begin;  // blossoms + 1
  const int64_t* child;
  const int64_t* child_arc;
};

struct Out {  // the optimum's state (as Warm) and its dual in lemon_matching.Dual's form
  uint8_t* matched;   // m
  int64_t* y;         // n
  int32_t* position;  // n
  int64_t* ranges;    // 3 per blossom: begin, end, z
  int64_t* child_begin;
  int64_t* child;
  int64_t* child_arc;
  int64_t blossoms;
  int64_t children;
};

struct Job {
  int32_t n;
  int64_t m;
  const int32_t* tails;
  const int32_t* heads;
  const int64_t* weights;
  const Warm* warm;
  Out* out;
  int64_t roots;
  int status;
};

}  // namespace

namespace lemon {

template <typename M>
struct MaxWeightedMatchingAccess {
  using Value = typename M::Value;
  using Arc = Graph::Arc;
  using Node = Graph::Node;
  using Edge = Graph::Edge;
  static constexpr Value kMax = std::numeric_limits<Value>::max();

  static Arc arc(const Graph& g, int64_t code) {
    Edge e = g.edgeFromId(static_cast<int>(code >> 1));
    return g.direct(e, (code & 1) == 0);
  }

  static int64_t code(const Graph& g, Arc a) {
    return 2 * int64_t(g.id(Edge(a))) + (g.direction(a) ? 0 : 1);
  }

  // fractionalInit()'s set-up, from the given state: surface blossoms matched or exposed,
  // each exposed one with a positive value at its base the root of a tree of its own.
  // Returns the roots, or -1 if the state breaks a rule that a pass can check (values
  // >= 0, cycle arcs between consecutive children and tight, one node of each surface
  // matched outside it or exposed, edges between surfaces feasible and tight where
  // matched, even roots): LEMON's heaps would then go wrong, not just the answer.
  static int64_t init(M& m, const Graph& g, const Warm& warm) {
    m.createStructures();
    m._blossom_node_list.clear();
    m._blossom_potential.clear();
    for (ArcIt a(g); a != INVALID; ++a) (*m._node_heap_index)[a] = BinHeap<Value, IntArcMap>::PRE_HEAP;
    for (NodeIt n(g); n != INVALID; ++n) (*m._delta1_index)[n] = m._delta1->PRE_HEAP;
    for (EdgeIt e(g); e != INVALID; ++e) (*m._delta3_index)[e] = m._delta3->PRE_HEAP;
    for (int i = 0; i < m._blossom_num; ++i) {
      (*m._delta2_index)[i] = m._delta2->PRE_HEAP;
      (*m._delta4_index)[i] = m._delta4->PRE_HEAP;
    }
    m._unmatched = 0;
    m._delta_sum = 0;
    m._delta1->clear();
    m._delta2->clear();
    m._delta3->clear();
    m._delta4->clear();
    m._blossom_set->clear();
    m._tree_set->clear();

    auto& data = *m._blossom_data;
    const int n = countNodes(g);
    std::vector<int> cls(n + warm.blossoms);  // each node's and blossom's class
    int index = 0;
    for (NodeIt v(g); v != INVALID; ++v, ++index) {
      (*m._node_index)[v] = index;
      auto& nd = (*m._node_data)[index];
      nd.pot = warm.y[g.id(v)];
      nd.heap_index.clear();
      nd.heap.clear();
      int b = m._blossom_set->insert(v, kMax);
      cls[g.id(v)] = b;
      data[b] = {};
      data[b].status = M::MATCHED;
      data[b].pred = data[b].next = INVALID;
      data[b].base = v;
    }
    const int64_t edges = countEdges(g);
    for (int v = 0; v < n; ++v)
      if (warm.y[v] < 0 || warm.mate[v] >= edges) return -1;
    std::vector<int64_t> parent(n + warm.blossoms, -1);  // of each node and blossom
    std::vector<int> sub;
    for (int64_t k = 0; k < warm.blossoms; ++k) {
      sub.clear();
      const int64_t first = warm.child_begin[k], last = warm.child_begin[k + 1];
      if (warm.z[k] < 0 || last - first < 3 || (last - first) % 2 == 0) return -1;
      for (int64_t i = first; i < last; ++i) {
        const int64_t c = warm.child[i], a = warm.child_arc[i];
        if (c < 0 || c >= n + k || (a >> 1) >= edges || a < 0 || parent[c] != -1) return -1;
        parent[c] = k;
        sub.push_back(cls[c]);
      }
      for (int64_t i = first; i < last; ++i) {  // each arc runs to the child before
        Arc a = arc(g, warm.child_arc[i]);
        const int64_t before = i == first ? last - 1 : i - 1;
        if (m._blossom_set->find(g.source(a)) != cls[warm.child[i]] ||
            m._blossom_set->find(g.target(a)) != cls[warm.child[before]])
          return -1;
        data[cls[warm.child[i]]].next = a;
      }
      int b = m._blossom_set->join(sub.begin(), sub.end());
      cls[n + k] = b;
      data[b] = {};
      data[b].status = M::MATCHED;
      data[b].pred = data[b].next = INVALID;
      data[b].pot = warm.z[k];
    }
    // The cycle arcs are tight under the z of their blossom and those around it.
    std::vector<int64_t> total(warm.blossoms, 0);
    for (int64_t k = warm.blossoms - 1; k >= 0; --k)
      total[k] = warm.z[k] + (parent[n + k] >= 0 ? total[parent[n + k]] : 0);
    for (int64_t k = 0; k < warm.blossoms; ++k) {
      for (int64_t i = warm.child_begin[k]; i < warm.child_begin[k + 1]; ++i) {
        Edge e = g.edgeFromId(static_cast<int>(warm.child_arc[i] >> 1));
        if (warm.y[g.id(g.u(e))] + warm.y[g.id(g.v(e))] + total[k] !=
            M::dualScale * m._weight[e])
          return -1;
      }
    }
    // Surfaces: matched through the edge that leaves them; exposed at their one node
    // without a mate.
    std::vector<int> ends(m._blossom_num + 1, 0);  // by class: such nodes seen
    int64_t roots = 0;
    for (NodeIt v(g); v != INVALID; ++v) {
      int b = m._blossom_set->find(v);
      int64_t e = warm.mate[g.id(v)];
      if (e >= 0) {
        Edge edge = g.edgeFromId(static_cast<int>(e));
        if (g.u(edge) != v && g.v(edge) != v) return -1;
        Node other = g.oppositeNode(v, edge);
        if (warm.mate[g.id(other)] != e) return -1;
        if (m._blossom_set->find(other) != b) {
          if (warm.y[g.id(v)] + warm.y[g.id(other)] != M::dualScale * m._weight[edge])
            return -1;
          data[b].next = g.direct(edge, g.u(edge) == v);
          ++ends[b];
        }
        continue;
      }
      ++ends[b];
      data[b].base = v;
      if (warm.y[g.id(v)] > 0) {
        if (warm.y[g.id(v)] % 2 != 0) return -1;
        data[b].status = M::EVEN;
        m._tree_set->insert(b);
        for (typename M::BlossomSet::ItemIt u(*m._blossom_set, b); u != INVALID; ++u)
          m._delta1->push(u, (*m._node_data)[(*m._node_index)[u]].pot);
        ++roots;
      }
    }
    m._unmatched = static_cast<int>(roots);
    for (typename M::BlossomSet::ClassIt c(*m._blossom_set); c != INVALID; ++c)
      if (ends[c] != 1) return -1;

    for (EdgeIt e(g); e != INVALID; ++e) {
      int sb = m._blossom_set->find(g.u(e)), tb = m._blossom_set->find(g.v(e));
      if (sb == tb) continue;
      Value rw = (*m._node_data)[(*m._node_index)[g.u(e)]].pot +
                 (*m._node_data)[(*m._node_index)[g.v(e)]].pot - M::dualScale * m._weight[e];
      if (rw < 0) return -1;
      if (data[sb].status == M::EVEN && data[tb].status == M::EVEN) m._delta3->push(e, rw / 2);
    }
    for (NodeIt v(g); v != INVALID; ++v) {
      int vb = m._blossom_set->find(v);
      if (data[vb].status != M::MATCHED) continue;
      auto& nd = (*m._node_data)[(*m._node_index)[v]];
      for (OutArcIt a(g, v); a != INVALID; ++a) {
        int tb = m._blossom_set->find(g.target(a));
        if (data[tb].status != M::EVEN) continue;
        Value rw = nd.pot + (*m._node_data)[(*m._node_index)[g.target(a)]].pot -
                   M::dualScale * m._weight[a];
        int tree = m._tree_set->find(tb);
        auto it = nd.heap_index.find(tree);
        if (it == nd.heap_index.end()) {
          nd.heap.push(a, rw);
          nd.heap_index.insert(std::make_pair(tree, a));
        } else if (nd.heap[it->second] > rw) {
          nd.heap.replace(it->second, a);
          nd.heap.decrease(a, rw);
          it->second = a;
        }
      }
      if (!nd.heap.empty()) m._blossom_set->decrease(v, nd.heap.prio());
    }
    for (typename M::BlossomSet::ClassIt c(*m._blossom_set); c != INVALID; ++c) {
      if (data[c].status == M::MATCHED && m._blossom_set->classPrio(c) != kMax)
        m._delta2->push(c, m._blossom_set->classPrio(c));
    }
    return roots;
  }

  // start()'s loop, without its extraction (extract() below records more). False if the
  // dual ever steps back (an edge the start left infeasible inside a blossom, found when
  // the blossom opens): the run is then abandoned.
  static bool grow(M& m) {
    Value reached = m._delta_sum;
    while (m._unmatched > 0) {
      Value d1 = !m._delta1->empty() ? m._delta1->prio() : kMax;
      Value d2 = !m._delta2->empty() ? m._delta2->prio() : kMax;
      Value d3 = !m._delta3->empty() ? m._delta3->prio() : kMax;
      Value d4 = !m._delta4->empty() ? m._delta4->prio() : kMax;
      int op = 3;
      m._delta_sum = d3;
      if (d1 < m._delta_sum) { m._delta_sum = d1; op = 1; }
      if (d2 < m._delta_sum) { m._delta_sum = d2; op = 2; }
      if (d4 < m._delta_sum) { m._delta_sum = d4; op = 4; }
      if (m._delta_sum < reached || m._delta_sum == kMax) return false;
      reached = m._delta_sum;
      if (op == 1) {
        m.unmatchNode(m._delta1->top());
        --m._unmatched;
      } else if (op == 2) {
        int blossom = m._delta2->top();
        Node v = m._blossom_set->classTop(blossom);
        Arc a = (*m._node_data)[(*m._node_index)[v]].heap.top();
        if ((*m._blossom_data)[blossom].next == INVALID) {
          m.augmentOnArc(a);
          --m._unmatched;
        } else {
          m.extendOnArc(a);
        }
      } else if (op == 3) {
        Edge e = m._delta3->top();
        int left = m._blossom_set->find(m._graph.u(e));
        int right = m._blossom_set->find(m._graph.v(e));
        if (left == right) {
          m._delta3->pop();
        } else if (m._tree_set->find(left) == m._tree_set->find(right)) {
          m.shrinkOnEdge(e, m._tree_set->find(left));
        } else {
          m.augmentOnEdge(e);
          m._unmatched -= 2;
        }
      } else {
        m.splitBlossom(m._delta4->top());
      }
    }
    return true;
  }

  // extractMatching()'s walk, also writing each blossom's children and their arcs.
  static void extract(M& m, const Graph& g, Out& out) {
    std::vector<int> surfaces;
    for (typename M::BlossomSet::ClassIt c(*m._blossom_set); c != INVALID; ++c)
      surfaces.push_back(c);
    out.blossoms = out.children = 0;
    out.child_begin[0] = 0;
    for (int b : surfaces) {
      auto& d = (*m._blossom_data)[b];
      if (d.next != INVALID) {
        Value offset = d.offset;
        d.pot += 2 * offset;
        for (typename M::BlossomSet::ItemIt v(*m._blossom_set, b); v != INVALID; ++v)
          (*m._node_data)[(*m._node_index)[v]].pot -= offset;
        walk(m, g, out, b, g.source(d.next), d.next);
      } else {
        walk(m, g, out, b, d.base, INVALID);
      }
    }
  }

  // Returns the blossom's reference as Warm.child has it.
  static int64_t walk(M& m, const Graph& g, Out& out, int blossom, Node base, Arc matching) {
    if (m._blossom_set->trivial(blossom)) {
      (*m._matching)[base] = matching;
      out.position[g.id(base)] = static_cast<int32_t>(m._blossom_node_list.size());
      m._blossom_node_list.push_back(base);
      out.y[g.id(base)] = (*m._node_data)[(*m._node_index)[base]].pot;
      return g.id(base);
    }
    Value pot = (*m._blossom_data)[blossom].pot;
    int64_t begin = static_cast<int64_t>(m._blossom_node_list.size());
    std::vector<int> sub;
    m._blossom_set->split(blossom, std::back_inserter(sub));
    const int k = static_cast<int>(sub.size());
    std::vector<Arc> cycle(k);
    for (int i = 0; i < k; ++i) cycle[i] = (*m._blossom_data)[sub[i]].next;
    int ib = static_cast<int>(std::find(sub.begin(), sub.end(), m._blossom_set->find(base)) -
                              sub.begin());
    std::vector<int64_t> ref(k);
    for (int i = 1; i < k; i += 2) {
      int s = (ib + i) % k, t = (ib + i + 1) % k;
      Arc a = (*m._blossom_data)[sub[t]].next;
      ref[s] = walk(m, g, out, sub[s], g.target(a), g.oppositeArc(a));
      ref[t] = walk(m, g, out, sub[t], g.source(a), a);
    }
    ref[ib] = walk(m, g, out, sub[ib], base, matching);
    const int n = countNodes(g);
    int64_t index = out.blossoms++;
    for (int i = 0; i < k; ++i) {
      out.child[out.children] = ref[i];
      out.child_arc[out.children] = code(g, cycle[i]);
      ++out.children;
    }
    out.child_begin[index + 1] = out.children;
    out.ranges[3 * index] = begin;
    out.ranges[3 * index + 1] = static_cast<int64_t>(m._blossom_node_list.size());
    out.ranges[3 * index + 2] = pot;
    return n + index;
  }

  using ArcIt = Graph::ArcIt;
  using NodeIt = Graph::NodeIt;
  using EdgeIt = Graph::EdgeIt;
  using OutArcIt = Graph::OutArcIt;
  using IntArcMap = Graph::ArcMap<int>;
};

}  // namespace lemon

namespace {

using Access = lemon::MaxWeightedMatchingAccess<Matching>;

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
    if (job.warm != nullptr) {
      job.roots = Access::init(mwm, g, *job.warm);
      if (job.roots < 0) {
        job.status = 3;
        return nullptr;
      }
    } else {
      mwm.fractionalInit();
      job.roots = -1;
    }
    if (!Access::grow(mwm)) {
      job.status = 3;
      return nullptr;
    }
    Out& out = *job.out;
    std::fill(out.position, out.position + job.n, -1);
    Access::extract(mwm, g, out);
    for (int64_t j = 0; j < job.m; ++j) out.matched[j] = mwm.matching(edges[j]) ? 1 : 0;
    job.status = 0;
  } catch (const std::bad_alloc&) {
    job.status = 1;
  }
  return nullptr;
}

}  // namespace

// 0: done; 1: out of memory; 2: no thread could be started; 3: the warm start is not a
// valid state (init's checks) or the dual stepped back from it. warm_y null: a cold start
// (the other warm_ arrays are then not read). The out_ arrays: matched (m), y and position
// (n), ranges (3 per blossom), child_begin (blossoms + 1), child and child_arc (n + the
// blossoms: a blossom has at least 3 children, so at most (n - 1) / 2 blossoms and fewer
// than n + n / 2 children in all). counts[0..2]: blossoms written, children written, and
// the warm start's roots (-1 for a cold one).
extern "C" int jumelage_resumable_matching(
    int32_t n, int64_t m, const int32_t* tails, const int32_t* heads, const int64_t* weights,
    const int64_t* warm_y, const int64_t* warm_mate, int64_t warm_blossoms,
    const int64_t* warm_z, const int64_t* warm_child_begin, const int64_t* warm_child,
    const int64_t* warm_child_arc, uint8_t* matched, int64_t* y, int32_t* position,
    int64_t* ranges, int64_t* child_begin, int64_t* child, int64_t* child_arc,
    int64_t* counts) {
  Warm warm{warm_y, warm_mate, warm_blossoms, warm_z, warm_child_begin, warm_child,
            warm_child_arc};
  Out out{matched, y, position, ranges, child_begin, child, child_arc, 0, 0};
  Job job{n, m, tails, heads, weights, warm_y != nullptr ? &warm : nullptr, &out, 0, 2};
  // LEMON takes nested blossoms apart recursively (so does extract): the work runs on a
  // thread with a stack for a frame per node, reserved, committed as touched.
  pthread_attr_t attr;
  if (pthread_attr_init(&attr) == 0) {
    size_t stack = std::max<size_t>(size_t(64) << 20, size_t(n) * 768);
    pthread_t thread;
    if (pthread_attr_setstacksize(&attr, stack) == 0 &&
        pthread_create(&thread, &attr, solve, &job) == 0)
      pthread_join(thread, nullptr);
    pthread_attr_destroy(&attr);
  }
  counts[0] = out.blossoms;
  counts[1] = out.children;
  counts[2] = job.roots;
  return job.status;
}
