#include <sqlite3.h>

/* sqlite3_config is variadic, which Swift cannot call: one wrapper per option used. */

/* Turns SQLite's allocation statistics off. With them on (the library's default), every
   sqlite3_malloc and sqlite3_free takes a process-wide mutex to count bytes that nothing
   here reads (sqlite3_memory_used). Only before SQLite is initialised, i.e. before the
   first connection opens; SQLITE_MISUSE after. */
static inline int muckwatch_sqlite3_disable_memstatus(void) {
    return sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}
