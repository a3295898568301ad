import Foundation

/// Spending limits of one client, in satoshis. `nil` means no limit of that kind.
public struct BudgetLimits: Sendable, Equatable, Codable {
    /// The most a single payment may cost.
    public var perCallSats: UInt64?
    /// The most this client may spend in total.
    public var totalSats: UInt64?
    /// The most this client may spend on any one host (origin).
    public var perHostSats: UInt64?

    /// Limits per call, in all and per host, in sats; nil means no limit.
    public init(perCallSats: UInt64? = nil, totalSats: UInt64? = nil, perHostSats: UInt64? = nil) {
        self.perCallSats = perCallSats
        self.totalSats = totalSats
        self.perHostSats = perHostSats
    }

    /// No limits at all.
    public static let unlimited = BudgetLimits()
}

/// Why the budget refused a payment. No payment is made when this is thrown.
public enum BudgetError: Error, Equatable, CustomStringConvertible {
    /// The price is above the per-call limit.
    case perCallLimit(priceSats: UInt64, limitSats: UInt64)
    /// Paying would take the client's total spending (paid + reserved) above its limit.
    case totalLimit(priceSats: UInt64, committedSats: UInt64, limitSats: UInt64)
    /// Paying would take spending on this host (paid + reserved) above its limit.
    case hostLimit(host: String, priceSats: UInt64, committedSats: UInt64, limitSats: UInt64)

    public var description: String {
        switch self {
        case .perCallLimit(let price, let limit):
            "over budget: \(price) sats is above the per-call limit of \(limit) sats"
        case .totalLimit(let price, let committed, let limit):
            "over budget: \(price) sats more would exceed the total limit of \(limit) sats (\(committed) already spent or reserved)"
        case .hostLimit(let host, let price, let committed, let limit):
            "over budget: \(price) sats more would exceed the limit of \(limit) sats for \(host) (\(committed) already spent or reserved)"
        }
    }
}

/// A claim on part of the budget, taken before paying and then committed (paid) or refunded (not paid).
public struct BudgetReservation: Sendable, Hashable {
    /// Unique per reservation, so committing or refunding twice is harmless.
    public let id: UInt64
    /// The host the sats are reserved for.
    public let host: String
    /// The sats reserved.
    public let sats: UInt64
}

/// The client's spending account. An actor, so two concurrent requests cannot both spend
/// the last of the budget: a payment first `reserve`s its price (counted as spent from that
/// moment), and afterwards either `commit`s it (paid) or `refund`s it (the payment did not happen).
public actor Budget {
    /// The limits this budget enforces.
    public nonisolated let limits: BudgetLimits
    private var nextID: UInt64 = 1
    private var open: [UInt64: BudgetReservation] = [:]
    private var paidTotal: UInt64 = 0
    private var paidByHost: [String: UInt64] = [:]

    /// A budget with nothing spent yet.
    public init(limits: BudgetLimits = .unlimited) {
        self.limits = limits
    }

    /// Sats paid so far (committed reservations).
    public var spentSats: UInt64 { paidTotal }

    /// Sats paid so far to `host`.
    public func spentSats(host: String) -> UInt64 { paidByHost[host, default: 0] }

    /// Sats held by reservations not yet committed or refunded.
    public var reservedSats: UInt64 { open.values.reduce(0) { $0.saturatingAdd($1.sats) } }

    /// Claims `sats` for a payment to `host`, or throws without claiming anything.
    public func reserve(sats: UInt64, host: String) throws(BudgetError) -> BudgetReservation {
        if let limit = limits.perCallSats, sats > limit {
            throw .perCallLimit(priceSats: sats, limitSats: limit)
        }
        if let limit = limits.totalSats {
            let committed = paidTotal.saturatingAdd(reservedSats)
            if committed > limit || sats > limit - committed {
                throw .totalLimit(priceSats: sats, committedSats: committed, limitSats: limit)
            }
        }
        if let limit = limits.perHostSats {
            let committed = open.values.filter { $0.host == host }
                .reduce(paidByHost[host, default: 0]) { $0.saturatingAdd($1.sats) }
            if committed > limit || sats > limit - committed {
                throw .hostLimit(host: host, priceSats: sats, committedSats: committed, limitSats: limit)
            }
        }
        let reservation = BudgetReservation(id: nextID, host: host, sats: sats)
        nextID += 1
        open[reservation.id] = reservation
        return reservation
    }

    /// The payment went through: the reserved sats are spent for good.
    public func commit(_ reservation: BudgetReservation) {
        guard open.removeValue(forKey: reservation.id) != nil else { return }
        paidTotal = paidTotal.saturatingAdd(reservation.sats)
        paidByHost[reservation.host, default: 0] = spentSats(host: reservation.host).saturatingAdd(reservation.sats)
    }

    /// The payment did not happen: the reserved sats are available again.
    public func refund(_ reservation: BudgetReservation) {
        open.removeValue(forKey: reservation.id)
    }
}

extension UInt64 {
    /// Sums of satoshis stop at the maximum instead of trapping.
    func saturatingAdd(_ other: UInt64) -> UInt64 {
        let (sum, overflow) = addingReportingOverflow(other)
        return overflow ? .max : sum
    }
}
