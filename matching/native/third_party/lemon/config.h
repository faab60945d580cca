/* LEMON's build writes this file; this copy says only what the headers used here read
 * (matching/native/third_party/README.md). */
#define LEMON_VERSION "1.3.1"
#define LEMON_HAVE_LONG_LONG 1
#define LEMON_USE_PTHREAD 1
