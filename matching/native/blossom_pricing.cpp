// The priced blossom's pricing (matching/priced_blossom.py): each edge's least slack under
// the extension of LEMON's optimal dual to the edges outside the core. One pass over the
// edges with a few lookups each, where NumPy gathers whole arrays per step and per copy
// (0.2-2.4 s a round at 17.6 M edges, against 4-6 s). Part of the shim library; called
// from Python threads over parts of the edges (ctypes lets go of the GIL). Duals and
// weights are LEMON's: 4 (its dualScale, lemon_matching.DUAL_SCALE) times the weights.
#include <algorithm>
#include <cstdint>
#include <limits>

namespace {

// The blossom tree (the root, a virtual blossom holding every node, is a node of it):
// parent, depth, total (the z of a blossom and its ancestors), each blossom's place in a
// preorder and the range-minimum table over that preorder (levels x width, table[j][i] the
// shallowest of the 2^j blossoms from place i).
struct Tree {
  const int64_t* parent;
  const int64_t* depth;
  const int64_t* total;
  const int64_t* place;
  const int64_t* table;
  int64_t width;

  // The lowest blossom holding both x and y: the shallowest blossom in the preorder range
  // (place x, place y] is a child of it.
  int64_t common(int64_t x, int64_t y) const {
    if (x == y) return x;
    int64_t lo = std::min(place[x], place[y]) + 1;
    int64_t hi = std::max(place[x], place[y]);
    int level = 63 - __builtin_clzll(static_cast<uint64_t>(hi - lo + 1));
    int64_t a = table[level * width + lo];
    int64_t c = table[level * width + hi - (int64_t(1) << level) + 1];
    return parent[depth[a] <= depth[c] ? a : c];
  }
};

}  // namespace

// For edges [0, m) of u, v, w (core[e] != 0: skipped, slack 0): a capacity-1 end's copy
// against each copy of the other end, y_a + y_c + Z(a, c) - 4 (w + lift), the least over
// the copies; between two larger capacities, min y over each end's copies + Z_L - 4 (w +
// lift), L the lowest blossom holding every copy of both ends (Z_L taken as 0 when it
// exceeds 4 (w + lift)). first[p]: person p's first copy; deep[node]: its innermost blossom.
extern "C" void jumelage_blossom_slack(int64_t m, const int32_t* u, const int32_t* v,
                                       const int64_t* w, const uint8_t* core, int64_t lift,
                                       const int64_t* first, const int64_t* b,
                                       const int64_t* y, const int64_t* deep,
                                       const int64_t* parent, const int64_t* depth,
                                       const int64_t* total, const int64_t* place,
                                       const int64_t* table, int64_t width, int64_t* out) {
  const Tree tree{parent, depth, total, place, table, width};
  for (int64_t e = 0; e < m; ++e) {
    if (core[e]) {
      out[e] = 0;
      continue;
    }
    const int64_t need = 4 * (w[e] + lift);
    const int64_t pu = u[e], pv = v[e];
    if (b[pu] == 1 || b[pv] == 1) {
      const int64_t one = b[pu] == 1 ? pu : pv, other = b[pu] == 1 ? pv : pu;
      const int64_t a = first[one];
      int64_t least = std::numeric_limits<int64_t>::max();
      for (int64_t c = first[other]; c < first[other] + b[other]; ++c)
        least = std::min(least, y[a] + y[c] + total[tree.common(deep[a], deep[c])] - need);
      out[e] = least;
    } else {
      int64_t low = deep[first[pu]];
      int64_t least_u = std::numeric_limits<int64_t>::max(), least_v = least_u;
      for (int64_t c = first[pu]; c < first[pu] + b[pu]; ++c) {
        low = tree.common(low, deep[c]);
        least_u = std::min(least_u, y[c]);
      }
      for (int64_t c = first[pv]; c < first[pv] + b[pv]; ++c) {
        low = tree.common(low, deep[c]);
        least_v = std::min(least_v, y[c]);
      }
      const int64_t z = total[low] <= need ? total[low] : 0;
      out[e] = least_u + least_v + z - need;
    }
  }
}
