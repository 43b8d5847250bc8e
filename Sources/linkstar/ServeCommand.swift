import ArgumentParser
import Foundation
import Hummingbird
import LinkStarCore
import LinkStarHTTP
import LinkStarStore
import LinkStarNotify
import Logging
import ServiceLifecycle

/// `linkstar serve`: the JSON API over the same use cases as the CLI.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve", abstract: tr("Serve the web pages (/, sign in with an API token) and the JSON API (/api/v1, bearer tokens) on loopback unless told otherwise."))
    @OptionGroup var global: GlobalOptions
    @Option(help: h("Address to listen on.")) var host: String = "127.0.0.1"
    @Option(help: h("Port.")) var port: Int = 8080
    @Option(help: h("Largest request body in bytes.")) var maxBody: Int = 10 * 1024 * 1024
    @Flag(help: h("Mark the session cookie Secure (when a TLS proxy serves the pages).")) var secureCookies = false
    @Flag(help: h("Also send the daily report and alerts to the chat channels: decide and deliver every minute, as notify run does.")) var notify = false

    func validate() throws {
        if !(1...65535).contains(port) { throw ValidationError(tr("--port must be 1 to 65535")) }
        if maxBody < 1024 { throw ValidationError(tr("--max-body must be at least 1024 bytes")) }
    }

    func run() async throws {
        // Handlers run on Swift Concurrency's own pool, not on NIO's event loops: the refresh a write starts then runs
        // on another thread while the write's response goes out (README, Benchmarks: "Requests stay off the event loops").
        var logger = Logger(label: "linkstar.http")
        logger.logLevel = ProcessInfo.processInfo.environment["LINKSTAR_LOG_LEVEL"].flatMap(Logger.Level.init(rawValue:)) ?? .info
        let location = global.location
        guard FileManager.default.fileExists(atPath: location.databasePath) else {
            throw LinkStarError(.notFound, "no workspace at \(location.databasePath); create one with `linkstar init`")
        }
        let database = try WorkspaceDatabase.openFile(at: location.databasePath, access: .pool, logger: logger)
        let app = buildApplication(database: database, configuration: APIConfiguration(host: host, port: port, maxBodySize: maxBody, secureCookies: secureCookies), logger: logger)
        logger.info("linkstar API on http://\(host):\(port) for \(location.databasePath)")
        var services: [any Service] = [app]
        if notify {
            logger.info("linkstar notify: deciding and delivering every 60 s")
            services.append(NotifyService(database: database, transport: HTTPChatTransport(), logger: logger))
        }
        let group = ServiceGroup(configuration: .init(services: services, gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        try await group.run()
    }
}
