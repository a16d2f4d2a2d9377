/// One profile's credentials on disk: `$XDG_STATE_HOME/wsauth/NAME.json`, mode
/// 0600, replaced atomically under an exclusive lock on `NAME.json.lock`.
///
/// Reading needs no lock (a rename is atomic, so a reader sees a whole file);
/// every read-modify-write happens inside `locked`, which re-reads under the lock
/// so that no process writes on the basis of a stale read and no rotated refresh
/// token is lost.
public struct CredentialStore: Sendable {
    public let profile: ProfileName
    public let file: String
    /// How long to wait for another process's refresh before giving up.
    public var lockTimeout = TimeSpan(seconds: 120)

    public init(profile: ProfileName, paths: Paths) {
        self.profile = profile
        self.file = paths.credentialsFile(profile: profile)
    }

    /// The profiles that have a store file (`NAME.json`) in the state directory, sorted.
    public static func storedProfiles(paths: Paths) -> [ProfileName] {
        FileIO.directoryEntries(paths.stateDirectory)
            .filter { $0.hasSuffix(".json") }
            .compactMap { try? ProfileName(String($0.dropLast(5))) }
            .sorted { $0.value < $1.value }
    }

    public var lockFile: String { file + ".lock" }
    var directory: String {
        file.split(separator: "/", omittingEmptySubsequences: false).dropLast().joined(separator: "/")
    }
    public var corruptFile: String { file + ".corrupt" }

    /// What a read found.
    public enum Contents: Sendable {
        case missing
        case found(Credentials)
        /// The file was unreadable and has been moved aside; the message says so in one line.
        case corrupt(String)

        public var credentials: Credentials? {
            if case .found(let credentials) = self { return credentials }
            return nil
        }
    }

    /// Reads without the lock. A corrupt file is reported, not moved: moving it is a
    /// write, and writes happen under the lock (`Transaction.read`).
    public func peek() throws(Failure) -> Credentials? {
        guard try PrivateDirectory.check(directory), let bytes = try FileIO.readBytes(file) else { return nil }
        return try? decode(bytes).get()
    }

    /// The stored credentials for a command that needs them: nil when there are
    /// none; a corrupt file is moved aside and is a failure (exit 2) whose one line
    /// says so, rather than a puzzling "not logged in".
    public func current() throws(Failure) -> Credentials? {
        let contents = try locked { (transaction: inout Transaction) throws(Failure) in try transaction.read() }
        switch contents {
        case .missing: return nil
        case .found(let credentials): return credentials
        case .corrupt(let message): throw Failure(.auth, message)
        }
    }

    /// Runs `body` holding the profile's lock.
    public func locked<T>(_ body: (inout Transaction) throws(Failure) -> T) throws(Failure) -> T {
        let lock = try FileLock(path: lockFile, timeout: lockTimeout)
        var transaction = Transaction(store: self)
        return try withExtendedLifetime(lock) { () throws(Failure) -> T in try body(&transaction) }
    }

    /// Reading and writing while the lock is held.
    public struct Transaction {
        let store: CredentialStore

        /// The current contents; a corrupt file is moved aside to `NAME.json.corrupt`
        /// (replacing an older one) so that the next login starts clean and the bad
        /// file can still be looked at.
        public func read() throws(Failure) -> Contents {
            guard let bytes = try FileIO.readBytes(store.file) else { return .missing }
            switch store.decode(bytes) {
            case .success(let credentials):
                return .found(credentials)
            case .failure(let reason):
                _ = try FileIO.move(store.file, to: store.corruptFile)
                return .corrupt(
                    "credentials file \(store.file) was corrupt (\(reason)); kept it aside as \(store.corruptFile); run 'wsauth login'"
                )
            }
        }

        public func write(_ credentials: Credentials) throws(Failure) {
            let text = credentials.json().serialized() + "\n"
            try FileIO.replaceAtomically(store.file, with: Array(text.utf8), mode: 0o600)
        }

        /// Forgets the profile's credentials, a corrupt file kept aside included;
        /// true when there were some.
        public func delete() throws(Failure) -> Bool {
            let corrupt = try FileIO.remove(store.corruptFile)
            return try FileIO.remove(store.file) || corrupt
        }
    }

    func decode(_ bytes: [UInt8]) -> Result<Credentials, StoreFormatError> {
        let json: JSONValue
        do {
            json = try JSONValue.parse(bytes)
        } catch {
            return .failure(StoreFormatError(error.description))
        }
        return Credentials.parse(json)
    }
}
