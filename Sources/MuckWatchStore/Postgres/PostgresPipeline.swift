import CPostgres

/// libpq's pipeline mode for bulk writes (issue #23): each statement is sent without
/// waiting for its result, and the results are read back at a sync every `depth`
/// statements and at the end.
///
/// Why: written row by row, a run's store write on PostgreSQL was one round trip a row,
/// ~9× SQLite's time (docs/scale-out.md). Only statements whose results nobody reads may
/// go through it (inserts and upserts: no rows, no `changes`), and every statement must be
/// prepared before the pipeline starts (libpq allows no synchronous call inside one).
///
/// Why syncs every `depth` statements: in blocking mode a client that only sends can fill
/// its socket while the server, blocked sending results nobody reads, stops reading it; a
/// few hundred statements' results fit the socket buffers many times over.
extension PostgresConnection {
    static let pipelineDepth = 256

    /// Runs `body` with `Statement.run()` sending instead of waiting; the results are all
    /// read (and the first failure thrown, naming its SQL) before it returns. Nested calls
    /// join the outer pipeline.
    func pipeline<R>(_ body: () throws(StoreError) -> R) throws(StoreError) -> R {
        if pipelining { return try body() }
        guard PQenterPipelineMode(conn) == 1 else {
            throw PostgresFailure.statement(location.display, state: "", message: lastMessage,
                                            doing: "entering pipeline mode", sql: "")
        }
        pipelining = true
        defer {
            pipelining = false
            PQexitPipelineMode(conn)
        }
        let r: R
        do {
            r = try body()
        } catch {
            // Read what was sent (the server skips it after a failure) so the connection
            // leaves pipeline mode clean for the caller's rollback.
            try? sync()
            throw error
        }
        try sync()
        return r
    }

    /// Sends one prepared statement (inside `pipeline`).
    func send(_ p: PostgresPrepared, _ values: PostgresValues) throws(StoreError) {
        let sent = values.withParameters { pointers, lengths, formats in
            PQsendQueryPrepared(conn, p.name, Int32(pointers.count), pointers.baseAddress, lengths.baseAddress,
                                formats.baseAddress, 0)
        }
        guard sent == 1 else {
            throw PostgresFailure.statement(location.display, state: "", message: lastMessage,
                                            doing: "sending a statement", sql: p.sql)
        }
        unread.append(p.sql)
        if unread.count >= Self.pipelineDepth { try sync() }
    }

    /// Marks a sync point and reads every result up to it: each statement's result then a
    /// null, then the sync's own. Throws the first failure (the statements after it were
    /// skipped by the server).
    func sync() throws(StoreError) {
        guard PQpipelineSync(conn) == 1 else {
            throw PostgresFailure.statement(location.display, state: "", message: lastMessage,
                                            doing: "ending a pipeline", sql: unread.first ?? "")
        }
        var first: StoreError?
        var ended = 0  // statements whose results are all read
        while true {
            guard let r = PQgetResult(conn) else {
                ended += 1
                // More ends than statements: the connection stopped answering (no sync came).
                if ended > unread.count {
                    unread.removeAll()
                    throw first ?? PostgresFailure.statement(location.display, state: "", message: lastMessage,
                                                             doing: "reading a pipeline's results", sql: "")
                }
                continue
            }
            defer { PQclear(r) }
            let status = PQresultStatus(r)
            if status == PGRES_PIPELINE_SYNC { break }
            if status == PGRES_PIPELINE_ABORTED || first != nil { continue }
            do {
                try check(r, doing: "running a statement (pipelined)", sql: ended < unread.count ? unread[ended] : "")
            } catch {
                first = error
            }
        }
        unread.removeAll(keepingCapacity: true)
        if let first { throw first }
    }
}
