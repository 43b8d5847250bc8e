import Foundation

extension PersonRole {
    /// admin ⊃ editor ⊃ viewer.
    public var rank: Int {
        switch self {
        case .viewer: 0
        case .editor: 1
        case .admin: 2
        }
    }

    /// True when this role may do what `needed` allows.
    public func allows(_ needed: PersonRole) -> Bool { rank >= needed.rank }
}

/// Every write a person can make, with the least role it needs: the one permission table the CLI and the API
/// both enforce. Reads are open to every role.
public enum WriteOperation: String, CaseIterable, Sendable {
    // Managing the workspace: admins.
    case personAdd = "person.add"
    case personEdit = "person.edit"
    case personDeactivate = "person.deactivate"
    case personReactivate = "person.reactivate"
    case layerAssign = "layer.assign"
    case kpiSet = "kpi.set"
    case kpiEdit = "kpi.edit"
    case kpiRetire = "kpi.retire"
    case tokenCreate = "token.create"
    case tokenRevoke = "token.revoke"
    case fxSet = "fx.set"
    case configSet = "config.set"
    case reviewConfigure = "review.configure"
    case restore = "restore"
    case importRevert = "import.revert"
    case rollupRebuild = "rollup.rebuild"
    // Operational data: editors.
    case metricDefine = "metric.define"
    case playbookSync = "playbook.sync"
    case importObservations = "import"
    case actionLog = "action.log"
    case actionEdit = "action.edit"
    case actionCancel = "action.cancel"
    case actionStart = "action.start"
    case actionStop = "action.stop"
    case actionRecord = "action.record"
    case actionEvaluate = "action.evaluate"
    case actionConclude = "action.conclude"
    case actionFollowup = "action.followup"
    case actionReplicate = "action.replicate"
    case eventAdd = "event.add"
    case eventEdit = "event.edit"
    case eventDelete = "event.delete"
    case reviewStart = "review.start"
    case reviewCheck = "review.check"
    case reviewNote = "review.note"
    case reviewClose = "review.close"
    case reviewAmend = "review.amend"
    case notifyChannelAdd = "notify.channel.add"
    case notifyChannelRemove = "notify.channel.remove"
    case personChat = "person.chat"
    case notifyTest = "notify.test"
    case notifyRun = "notify.run"

    /// The least role the operation needs.
    public var requiredRole: PersonRole {
        switch self {
        case .personAdd, .personEdit, .personDeactivate, .personReactivate, .layerAssign, .kpiSet, .kpiEdit, .kpiRetire, .tokenCreate, .tokenRevoke,
             .fxSet, .configSet, .reviewConfigure, .restore, .importRevert, .rollupRebuild, .notifyChannelAdd, .notifyChannelRemove, .personChat, .notifyTest:
            .admin
        case .metricDefine, .playbookSync, .importObservations, .actionLog, .actionEdit, .actionCancel, .actionStart, .actionStop,
             .actionRecord, .actionEvaluate, .actionConclude, .actionFollowup, .actionReplicate, .eventAdd, .eventEdit, .eventDelete,
             .reviewStart, .reviewCheck, .reviewNote, .reviewClose, .reviewAmend, .notifyRun:
            .editor
        }
    }
}

/// Who may write: an active person whose role allows the operation. The rule both adapters apply.
public enum PermissionRule {
    /// Throws `forbidden` (exit 6, HTTP 403) unless `role` allows `operation` and the person is active.
    public static func check(handle: String, role: PersonRole, active: Bool, operation: WriteOperation) throws {
        guard active else {
            throw LinkStarError(.forbidden, "\(handle) is deactivated and cannot make changes; an admin can run person reactivate \(handle)",
                                details: [.init(field: "as", message: "deactivated")])
        }
        guard role.allows(operation.requiredRole) else {
            throw LinkStarError(.forbidden, "\(operation.rawValue) needs the \(operation.requiredRole) role; \(handle) is \(role == .admin ? "an" : "a") \(role)",
                                details: [.init(field: "as", message: "needs \(operation.requiredRole.rawValue)")])
        }
    }

    /// A token never carries more than its person's role.
    public static func checkTokenRole(_ requested: PersonRole, personRole: PersonRole, handle: String) throws {
        guard personRole.allows(requested) else {
            throw LinkStarError(.forbidden, "a token for \(handle) can have at most the \(personRole.rawValue) role (asked: \(requested.rawValue))",
                                details: [.init(field: "role", message: "above the person's role \(personRole.rawValue)")])
        }
    }

    /// The role a token acts with: its own, capped by its person's current role.
    public static func effectiveRole(token: PersonRole, person: PersonRole) -> PersonRole {
        token.rank <= person.rank ? token : person
    }
}
