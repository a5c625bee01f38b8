import TLSScenario
import TLSWire

/// One reason handshakes fail in practice (`tlslab explain handshake-failed`), with the failure-lab scenarios that
/// reproduce it. What the user sees, why and how to fix it come from the scenario's `lab:` note unless the case
/// says otherwise (interception has no single lab note); the tests check that every reproduction exists and fails
/// with the stated alert, sent by the stated side.
public struct FailureCase: Sendable, Equatable, Identifiable {
    /// A scenario that fails this way.
    public struct Reproduction: Sendable, Equatable {
        public var scenario: String
        /// The alert description the scenario ends with.
        public var alert: String
        public var sentBy: Side
        /// The message being processed when the alert is sent (`expect.at`).
        public var at: String
        /// What this scenario shows, when the case has several.
        public var note: String?

        public init(scenario: String, alert: String, sentBy: Side, at: String, note: String? = nil) {
            self.scenario = scenario
            self.alert = alert
            self.sentBy = sentBy
            self.at = at
            self.note = note
        }
    }

    public var id: String
    public var title: String
    /// Overrides of the first reproduction's lab note (nil = use the note).
    public var symptom: String?
    public var why: String?
    public var fix: String?
    public var reproductions: [Reproduction]

    public init(
        id: String, title: String, symptom: String? = nil, why: String? = nil, fix: String? = nil,
        reproductions: [Reproduction]
    ) {
        self.id = id
        self.title = title
        self.symptom = symptom
        self.why = why
        self.fix = fix
        self.reproductions = reproductions
    }
}

public enum Troubleshooting {
    public static let cases: [FailureCase] = [
        FailureCase(
            id: "wrong-clock", title: "Wrong system clock",
            reproductions: [.init(scenario: "lab-wrong-clock", alert: "certificate_expired", sentBy: .client, at: "Certificate")]),
        FailureCase(
            id: "version-mismatch", title: "Protocol version mismatch",
            reproductions: [
                .init(
                    scenario: "lab-version-mismatch-old-client", alert: "protocol_version", sentBy: .server, at: "ClientHello",
                    note: "a TLS 1.2-only client meets a TLS 1.3-only server"),
                .init(
                    scenario: "lab-version-mismatch-old-server", alert: "protocol_version", sentBy: .server, at: "ClientHello",
                    note: "a TLS 1.3-only client meets a TLS 1.2-only server"),
            ]),
        FailureCase(
            id: "expired-certificate", title: "Expired certificate",
            reproductions: [
                .init(scenario: "lab-expired-certificate", alert: "certificate_expired", sentBy: .client, at: "Certificate")
            ]),
        FailureCase(
            id: "untrusted-certificate", title: "Untrusted certificate (unknown CA, self-signed)",
            reproductions: [
                .init(
                    scenario: "lab-untrusted-ca", alert: "unknown_ca", sentBy: .client, at: "Certificate",
                    note: "issued by a CA the client does not trust"),
                .init(
                    scenario: "lab-self-signed", alert: "unknown_ca", sentBy: .client, at: "Certificate",
                    note: "a self-signed certificate"),
            ]),
        FailureCase(
            id: "wrong-host", title: "Certificate for the wrong host name",
            reproductions: [.init(scenario: "lab-wrong-host", alert: "bad_certificate", sentBy: .client, at: "Certificate")]),
        FailureCase(
            id: "no-shared-cipher", title: "No shared cipher suite (or key-exchange group)",
            reproductions: [
                .init(
                    scenario: "lab-no-common-cipher", alert: "handshake_failure", sentBy: .server, at: "ClientHello",
                    note: "no cipher suite in common"),
                .init(
                    scenario: "lab-no-common-group", alert: "handshake_failure", sentBy: .server, at: "ClientHello",
                    note: "no key-exchange group in common"),
            ]),
        FailureCase(
            id: "missing-client-certificate", title: "Missing client certificate",
            reproductions: [
                .init(
                    scenario: "lab-missing-client-cert-tls12", alert: "handshake_failure", sentBy: .server, at: "Certificate",
                    note: "TLS 1.2"),
                .init(
                    scenario: "lab-missing-client-cert-tls13", alert: "certificate_required", sentBy: .server,
                    at: "Certificate", note: "TLS 1.3: the client notices only at its first read"),
            ]),
        FailureCase(
            id: "interception", title: "Interception (a proxy or an attacker in the middle)",
            symptom: "Certificate errors on every site behind one network (company proxy, antivirus, public Wi-Fi portal), or handshakes that fail late with decrypt_error, bad_record_mac or illegal_parameter.",
            why: "Someone between client and server terminates or alters the connection. A TLS-inspecting proxy presents certificates from its own CA, which the client does not trust (unknown_ca); a device that changes handshake messages breaks the Finished check (decrypt_error) or, with TLS 1.3 and extended master secret, the keys (bad_record_mac); removing TLS 1.3 from the offer trips the downgrade sentinel (illegal_parameter). TLS is designed so that tampering is detected, never silently accepted.",
            fix: "Find the device: compare the certificate's issuer with the one you expect (openssl s_client -showcerts). For a sanctioned company proxy, install its root CA on managed clients; otherwise remove the interception. Never disable certificate checks to make the error go away.",
            reproductions: [
                .init(
                    scenario: "lab-untrusted-ca", alert: "unknown_ca", sentBy: .client, at: "Certificate",
                    note: "a proxy's certificate from a CA the client does not trust"),
                .init(
                    scenario: "lab-tampered-handshake", alert: "decrypt_error", sentBy: .server, at: "Finished",
                    note: "a middlebox changed a handshake message"),
                .init(
                    scenario: "lab-downgrade", alert: "illegal_parameter", sentBy: .client, at: "ServerHello",
                    note: "an attacker removed TLS 1.3 from the ClientHello"),
                .init(
                    scenario: "lab-tampered-record", alert: "bad_record_mac", sentBy: .server, at: "application_data",
                    note: "one bit of an encrypted record changed in transit"),
            ]),
    ]

    /// Every scenario the cases refer to.
    public static var scenarios: [String] {
        var seen = Set<String>()
        return cases.flatMap { $0.reproductions.map(\.scenario) }.filter { seen.insert($0).inserted }
    }

    /// The troubleshooting guide as text. `labNotes` are the scenarios' `lab:` notes by name (the CLI loads them
    /// from the catalog); a case without an override and without a note shows only its alert and scenarios.
    public static func text(labNotes: [String: LabNote], width: Int = 100) -> String {
        var lines: [String] = []
        lines += Topics.handshakeFailed.text(width: width).split(separator: "\n", omittingEmptySubsequences: false)
            .map(String.init).prefix { !$0.hasPrefix("See it:") }
        for (n, c) in cases.enumerated() {
            let note = c.reproductions.first.flatMap { labNotes[$0.scenario] }
            lines.append("\(n + 1). \(c.title)")
            func field(_ label: String, _ text: String?) {
                guard let text else { return }
                lines += TextWrap.wrap(text, width: width, indent: "   \(TextWrap.pad(label, 9)) ", continuation: "             ")
            }
            field("Symptom:", c.symptom ?? note?.symptom)
            for r in c.reproductions {
                let code = AlertDescription(name: r.alert).map { " (\($0.rawValue))" } ?? ""
                let at = r.at == "application_data" ? "an application data record" : "the \(r.at)"
                let what = r.note.map { " — \($0)" } ?? ""
                field("Alert:", "\(r.alert)\(code), sent by the \(r.sentBy) on receiving \(at)\(what)")
            }
            field("Why:", c.why ?? note?.cause)
            field("Fix:", c.fix ?? note?.fix)
            if c.why == nil, let practice = note?.inPractice { field("Note:", practice) }
            lines += TextWrap.items(
                c.reproductions.map { "tlslab run \($0.scenario)" }, width: width, indent: "   Lab:      ",
                continuation: "             ")
            lines.append("")
        }
        lines += TextWrap.wrap(
            "Every alert is explained on its own: tlslab explain certificate_expired, tlslab explain unknown_ca, …",
            width: width)
        return lines.joined(separator: "\n") + "\n"
    }
}
