/// An invalid configuration: names the offending key (a path such as `chains[0].rpc`) and why.
struct ConfigError: Error, CustomStringConvertible {
    let key: String
    let message: String

    init(_ key: String, _ message: String) {
        self.key = key
        self.message = message
    }

    var description: String { "config: \(key): \(message)" }
}
