/// Old and new objects paired up: by key (a name) first, then, among those left over on
/// both sides, by a hint (the key a new object had before: MySQL's binary log), then by the
/// server's stable identity (a rename), then, for objects the server gives no identity (MySQL
/// columns and indexes), by an equal definition (`shape`).
struct Matching<Object> {
    var pairs: [(old: Object, new: Object)] = []
    var dropped: [Object] = []
    var created: [Object] = []

    /// Pairs `old` with `new`. `identity` returns nil where an object has none; an identity
    /// shared by several leftovers on one side pairs nothing (it proves nothing). `shape`
    /// returns the definition apart from the name for objects without an identity (nil
    /// otherwise); among the leftovers after identity, an old and a new object with the same
    /// shape pair when no other leftover on either side has that shape. `hint` returns, for a
    /// new object, the key of the old object it was (nil where nothing says).
    init<Key: Hashable>(
        old: [Object], new: [Object], key: (Object) -> Key, hint: (Object) -> Key? = { _ in nil },
        identity: (Object) -> Int64? = { _ in nil }, shape: (Object) -> AnyHashable? = { _ in nil }
    ) {
        var newByKey: [Key: Int] = [:]
        for (index, object) in new.enumerated() { newByKey[key(object)] = index }
        var newMatched = Array(repeating: false, count: new.count)
        var oldLeft: [Object] = []
        for object in old {
            if let index = newByKey[key(object)], !newMatched[index] {
                newMatched[index] = true
                pairs.append((object, new[index]))
            } else {
                oldLeft.append(object)
            }
        }
        // Hints: a new leftover whose earlier key an old leftover has.
        var oldLeftByKey: [Key: Int] = [:]
        for (position, object) in oldLeft.enumerated() { oldLeftByKey[key(object)] = position }
        var hinted = Set<Int>()
        for index in new.indices where !newMatched[index] {
            guard let earlier = hint(new[index]), let position = oldLeftByKey[earlier], !hinted.contains(position)
            else { continue }
            hinted.insert(position)
            newMatched[index] = true
            pairs.append((oldLeft[position], new[index]))
        }
        oldLeft = oldLeft.indices.filter { !hinted.contains($0) }.map { oldLeft[$0] }
        let newLeft = new.indices.filter { !newMatched[$0] }.map { new[$0] }

        func unique(_ objects: [Object]) -> [Int64: Int] {
            var counts: [Int64: Int] = [:]
            var index: [Int64: Int] = [:]
            for (position, object) in objects.enumerated() {
                guard let id = identity(object) else { continue }
                counts[id, default: 0] += 1
                index[id] = position
            }
            return index.filter { counts[$0.key] == 1 }
        }
        let oldByID = unique(oldLeft)
        let newByID = unique(newLeft)
        var oldPaired = Set<Int>()
        var newPaired = Set<Int>()
        for (position, object) in oldLeft.enumerated() {
            guard let id = identity(object), oldByID[id] == position, let other = newByID[id] else { continue }
            pairs.append((object, newLeft[other]))
            oldPaired.insert(position)
            newPaired.insert(other)
        }
        // Equal definitions, among what identity left: only a shape unique on both sides pairs.
        func uniqueShapes(_ objects: [Object], skipping paired: Set<Int>) -> [AnyHashable: Int] {
            var counts: [AnyHashable: Int] = [:]
            var index: [AnyHashable: Int] = [:]
            for (position, object) in objects.enumerated() where !paired.contains(position) {
                guard let value = shape(object) else { continue }
                counts[value, default: 0] += 1
                index[value] = position
            }
            return index.filter { counts[$0.key] == 1 }
        }
        let oldByShape = uniqueShapes(oldLeft, skipping: oldPaired)
        let newByShape = uniqueShapes(newLeft, skipping: newPaired)
        for (position, object) in oldLeft.enumerated() where !oldPaired.contains(position) {
            guard let value = shape(object), oldByShape[value] == position, let other = newByShape[value] else {
                continue
            }
            pairs.append((object, newLeft[other]))
            oldPaired.insert(position)
            newPaired.insert(other)
        }
        dropped = oldLeft.indices.filter { !oldPaired.contains($0) }.map { oldLeft[$0] }
        created = newLeft.indices.filter { !newPaired.contains($0) }.map { newLeft[$0] }
    }
}
