import TLSCrypto
import TLSTeaching
import TLSTranscript
import TLSWire

/// Where the inputs of a derivation came from. The transcript records a `source` for many inputs
/// (`ClientHello.random`, `derived in step "master_secret"`); this also finds the earlier derivation, by the same
/// side, that produced the input's bytes — by value first (exact, and it resolves generic names such as
/// `finished_key` or `base_key`), then by name (`server_application_traffic_secret` → `…_secret_0`).
enum Provenance {
    static func resolve(
        transcript t: Transcript, stepOfEvent: [Int: Int], stepTitles: [String]
    ) -> [Int: DerivationInfo] {
        var out: [Int: DerivationInfo] = [:]
        /// Derivation events seen so far per side, in order.
        var earlier: [Side: [(event: Int, step: DerivationStep)]] = [.client: [], .server: []]
        var all: [(event: Int, side: Side, step: DerivationStep)] = []
        for (e, event) in t.events.enumerated() {
            guard event.kind == .derivation, let side = event.side, let d = event.derivation else { continue }
            all.append((e, side, d))
        }
        for (e, side, d) in all {
            let previous = earlier[side] ?? []
            let inputs = d.inputs.map { input -> InputOrigin in
                let match =
                    previous.last { $0.step.output == input.value && $0.step.name == input.name }
                    ?? previous.last { $0.step.output == input.value && !input.value.isEmpty }
                    ?? previous.last { $0.step.name == input.name || $0.step.name == input.name + "_0" }
                var parts: [String] = []
                // A recorded `derived in step "x"` is replaced by the step that did it, when found.
                if let source = input.source, match == nil || !source.hasPrefix("derived in step") {
                    parts.append(source)
                }
                if let match {
                    let step = stepOfEvent[match.event] ?? 0
                    let title = stepTitles.indices.contains(step) ? stepTitles[step] : "?"
                    let same = match.step.name == input.name ? "" : " as \(match.step.name)"
                    parts.append("derived by the \(side) at step \(step + 1) (\(title))\(same)")
                }
                if parts.isEmpty { parts.append("where it came from is not recorded") }
                return InputOrigin(input: input, derivedBy: match?.event, explanation: parts.joined(separator: "; "))
            }
            earlier[side, default: []].append((e, d))
            out[e] = DerivationInfo(
                event: e, side: side, step: stepOfEvent[e] ?? 0, derivation: d, inputs: inputs, peer: nil,
                peerAgrees: nil, explanation: Explanations.derivation(d, in: t, connection: t.events[e].connection))
        }
        // The other side's value of the same name in the same connection (its first derivation of that name).
        for (e, side, d) in all {
            let connection = t.events[e].connection
            if let peer = all.first(where: {
                $0.side != side && $0.step.name == d.name && t.events[$0.event].connection == connection
            }) {
                out[e]?.peer = peer.event
                out[e]?.peerAgrees = peer.step.output == d.output
            }
        }
        return out
    }
}
