// GEOS's C API, re-entrant functions only (one context per user, no global state).
#define GEOS_USE_ONLY_R_API
#include <geos_c.h>
