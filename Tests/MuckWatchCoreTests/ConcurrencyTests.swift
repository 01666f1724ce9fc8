import Dispatch
import Testing
import MuckWatchCore

/// The invariants the concurrency primitives promise, checked under real contention
/// (`concurrentPerform` on every core), in bounded loops: no sleeps, no timings.
@Suite struct ConcurrencyTests {
    /// A small deterministic generator (SplitMix64), so a failing case can be replayed.
    struct Seeded {
        var state: UInt64
        mutating func next(below n: Int) -> Int {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476C_E1E5_E9B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return Int((z ^ (z >> 31)) % UInt64(n))
        }
    }

    @Test func workQueueHandsOutEachIndexOnceAcrossThreads() {
        let n = 20_000
        let queue = WorkQueue(count: n)
        let takenBy = ResultSlots<Int>(count: n)
        let handedOut = Locked(0)
        DispatchQueue.concurrentPerform(iterations: 8) { worker in
            var mine = 0
            while let k = queue.next() {
                #expect(takenBy[k] == nil, "index \(k) handed out twice")
                takenBy[k] = worker
                mine += 1
            }
            handedOut.withLock { $0 += mine }
        }
        #expect(handedOut.withLock { $0 } == n)
        #expect(takenBy.values.count == n)  // traps if any index was never handed out
        #expect(queue.next() == nil)
    }

    @Test func workQueueOfNothingHandsOutNothing() {
        #expect(WorkQueue(count: 0).next() == nil)
    }

    @Test func resultSlotsWrittenByConcurrentWorkersHoldEveryValueOnce() {
        let n = 10_000
        let slots = ResultSlots<[Int]>(count: n)
        let queue = WorkQueue(count: n)
        DispatchQueue.concurrentPerform(iterations: 8) { _ in
            while let k = queue.next() { slots[k] = [k, k * k] }
        }
        let values = slots.values
        #expect(values.count == n)
        #expect(values.indices.allSatisfy { values[$0] == [$0, $0 * $0] })
    }

    @Test func resultSlotsStartEmpty() {
        let slots = ResultSlots<String>(count: 3)
        slots[1] = "b"
        #expect(slots[0] == nil)
        #expect(slots[1] == "b")
        #expect(slots[2] == nil)
    }

    @Test func lockedCountsConcurrentIncrementsExactly() {
        let counter = Locked(0)
        let perWorker = 5_000, workers = 16
        DispatchQueue.concurrentPerform(iterations: workers) { _ in
            for _ in 0..<perWorker { counter.withLock { $0 += 1 } }
        }
        #expect(counter.withLock { $0 } == perWorker * workers)
    }

    @Test func lockedRethrowsTheBodysTypedError() {
        enum Refusal: Error, Equatable { case full }
        let box = Locked([1, 2])
        #expect(throws: Refusal.full) {
            try box.withLock { (v: inout [Int]) throws(Refusal) in
                v.append(3)
                throw .full
            }
        }
        // What the body did before it threw stays.
        #expect(box.withLock { $0 } == [1, 2, 3])
    }

    @Test func sharedBufferWorkersFillDisjointRanges() {
        let n = 100_000, workers = 7
        var cells = [Int](repeating: -1, count: n)
        cells.withUnsafeMutableBufferPointer { b in
            let shared = SharedBuffer(b)
            DispatchQueue.concurrentPerform(iterations: workers) { w in
                for i in (n * w / workers)..<(n * (w + 1) / workers) { shared.buffer[i] = i * 3 }
            }
        }
        #expect(cells.indices.allSatisfy { cells[$0] == $0 * 3 })
    }

    @Test func backgroundResultReturnsTheValueToEveryWaiter() {
        var random = Seeded(state: 18)
        let numbers = (0..<1_000).map { _ in random.next(below: 1_000_000) }
        let sum = BackgroundResult<Int, Never>(on: .global()) { numbers.reduce(0, +) }
        #expect(sum.get() == numbers.reduce(0, +))
        #expect(sum.get() == numbers.reduce(0, +))  // asked again: the same value
    }

    @Test func backgroundResultRethrowsTheTypedError() {
        struct Unreadable: Error, Equatable { let path: String }
        let read = BackgroundResult<[UInt8], Unreadable>(on: .global()) { () throws(Unreadable) -> [UInt8] in
            throw Unreadable(path: "night.csv")
        }
        #expect(throws: Unreadable(path: "night.csv")) { try read.get() }
    }

    @Test func backgroundResultWaitsForWorkThatIsHeldBack() {
        // The work cannot finish before `release` is signalled: a `get` on another thread
        // must block until then and come back with the value (not early, not without it).
        let release = DispatchSemaphore(value: 0)
        let started = DispatchSemaphore(value: 0)
        let result = BackgroundResult<Int, Never>(on: DispatchQueue(label: "held")) {
            started.signal()
            release.wait()
            return 42
        }
        started.wait()
        let got = Locked<Int?>(nil)
        let waiter = DispatchGroup()
        DispatchQueue.global().async(group: waiter) {
            let v = result.get()
            got.withLock { $0 = v }
        }
        // Still held back: whatever the waiter is doing, it cannot have a value yet.
        #expect(got.withLock { $0 } == nil)
        release.signal()
        waiter.wait()
        #expect(got.withLock { $0 } == 42)
    }

    @Test func queueConfinedRunsWorkInOrderAndSyncSeesAllOfIt() {
        let log = QueueConfined([Int](), label: "confined")
        var random = Seeded(state: 808)
        let values = (0..<2_000).map { _ in random.next(below: 100) }
        // Submitted from one thread: taken up in submission order.
        for v in values { log.async { $0.append(v) } }
        #expect(log.sync { $0 } == values)
    }

    @Test func queueConfinedCountsSubmissionsFromManyThreads() {
        let count = QueueConfined(0, label: "confined-count")
        DispatchQueue.concurrentPerform(iterations: 8) { _ in
            for _ in 0..<1_000 { count.async { $0 += 1 } }
        }
        #expect(count.sync { $0 } == 8_000)
    }

    @Test func queueTimerHandlerRunsOnItsQueue() {
        let state = QueueConfined(0, label: "timer")
        let ticked = DispatchSemaphore(value: 0)
        let timer = QueueTimer(queue: state.queue, every: .milliseconds(1))
        timer.start {
            // `onQueue` traps anywhere but on the state's queue.
            let n = state.onQueue { n -> Int in n += 1; return n }
            if n == 3 { ticked.signal() }
        }
        ticked.wait()
        timer.cancel()
        #expect(state.sync { $0 } >= 3)
    }

    /// libdispatch traps when a suspended source is released: a timer made and dropped
    /// without `start` (and one cancelled before it) must go quietly.
    @Test func queueTimersDroppedUnstartedOrCancelledGoQuietly() {
        let queue = DispatchQueue(label: "timers")
        for _ in 0..<1_000 { _ = QueueTimer(queue: queue, every: .milliseconds(1)) }
        for _ in 0..<100 {
            let t = QueueTimer(queue: queue, every: .milliseconds(1))
            t.cancel()
        }
        for _ in 0..<100 {
            let t = QueueTimer(queue: queue, every: .microseconds(50))
            t.start {}
        }
        queue.sync {}
    }

    @Test func uncheckedBoxHandsAWorkerItsOwnObject() {
        final class Tally { var n = 0 }
        let perWorker = UncheckedBox((0..<4).map { _ in Tally() })
        DispatchQueue.concurrentPerform(iterations: 4) { w in
            for _ in 0..<1_000 { perWorker.value[w].n += w + 1 }
        }
        #expect(perWorker.value.map(\.n) == [1_000, 2_000, 3_000, 4_000])
    }
}
