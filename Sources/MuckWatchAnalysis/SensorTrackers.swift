import MuckWatchCore

/// Runs of a switch sensor in its "active" state (tipper raised, lid open).
/// A fix without the sensor neither extends nor breaks a run.
struct SwitchRunTracker {
    let active: Int8
    private var first = -1
    private var last = -1

    init(active: Int8) { self.active = active }

    mutating func push(_ i: Int, _ value: Int8, _ fixes: [Fix]) -> SensorRun? {
        if value < 0 { return nil }
        if value == active {
            if first < 0 { first = i }
            last = i
            return nil
        }
        return close(fixes, next: i)
    }

    /// Closes the open run; `next` is the fix that ended it, if any.
    mutating func close(_ fixes: [Fix], next: Int? = nil) -> SensorRun? {
        guard first >= 0 else { return nil }
        defer { first = -1; last = -1 }
        // Fixes sample the sensor: the switch flipped somewhere between the last fix in one
        // state and the first in the other. Count half of each bracketing interval (when it
        // is an ordinary reporting interval, not a signal gap).
        var held = fixes[last].time - fixes[first].time
        if first > 0 { held += SwitchRunTracker.half(fixes[first].time - fixes[first - 1].time) }
        if let n = next { held += SwitchRunTracker.half(fixes[n].time - fixes[last].time) }
        return SensorRun(first: first, last: last, start: fixes[first].time, end: fixes[last].time, held: held)
    }

    /// First fix of the open run, `nil` when none.
    var openFirst: Int? { first >= 0 ? first : nil }

    /// The track lost its first `n` fixes (live trimming).
    mutating func shift(by n: Int) {
        if first >= 0 { first -= n; last -= n }
    }

    /// Half a reporting interval; intervals over 5 minutes are signal gaps and count nothing.
    static func half(_ gap: Int64) -> Int64 { gap <= 300 ? gap / 2 : 0 }
}

/// Finds load-cell steps: a change of at least `load_step_t` from one stable level to
/// the next. Readings within `noise` of the level are the level; a change completes
/// once no new extreme has been reached for `settle_s`, or the reading turns back.
struct LoadStepTracker {
    let step: Double
    let noise = 0.6
    let settleS: Int64 = 60
    private var level = Double.nan
    private var levelIndex = -1
    private var changing = false
    private var rising = true
    private var extreme = 0.0
    private var extremeIndex = -1

    init(step: Double) { self.step = step }

    mutating func push(_ i: Int, _ value: Float, _ fixes: [Fix]) -> LoadStep? {
        if value.isNaN { return nil }
        let v = Double(value)
        if level.isNaN { level = v; levelIndex = i; return nil }
        if !changing {
            if abs(v - level) <= noise {
                levelIndex = i
                return nil
            }
            changing = true
            rising = v > level
            extreme = v
            extremeIndex = i
            return nil
        }
        if rising ? v > extreme : v < extreme {
            extreme = v
            extremeIndex = i
            return nil
        }
        let turnedBack = rising ? v < extreme - noise : v > extreme + noise
        let settled = fixes[i].time - fixes[extremeIndex].time >= settleS
        guard turnedBack || settled else { return nil }
        let done = complete(fixes)
        level = v
        levelIndex = i
        return done
    }

    /// Oldest fix index the tracker may still read (the level it compares against).
    var oldestHeld: Int? { levelIndex >= 0 ? levelIndex : nil }

    /// The track lost its first `n` fixes (live trimming).
    mutating func shift(by n: Int) {
        if levelIndex >= 0 { levelIndex -= n }
        if extremeIndex >= 0 { extremeIndex = max(extremeIndex - n, -1) }
    }

    mutating func flush(_ fixes: [Fix]) -> LoadStep? {
        guard changing else { return nil }
        return complete(fixes)
    }

    private mutating func complete(_ fixes: [Fix]) -> LoadStep? {
        changing = false
        guard abs(extreme - level) >= step, levelIndex >= 0 else {
            level = extreme
            levelIndex = extremeIndex
            return nil
        }
        let s = LoadStep(direction: rising ? .rise : .fall, first: levelIndex, last: extremeIndex,
                         start: fixes[levelIndex].time, end: fixes[extremeIndex].time, fromT: level, toT: extreme)
        level = extreme
        levelIndex = extremeIndex
        return s
    }
}
