import ByteEncoding
import LightningBackends
import Testing

/// BIP-340 Schnorr signatures (through libsecp256k1's schnorrsig module) against bitcoin/bips'
/// `bip-0340/test-vectors.csv`: every verification result, and every signature that has a secret key.
@Suite struct BIP340VectorTests {
    struct Vector {
        let index: String, secretKey: String, publicKey: String, auxRand: String, message: String, signature: String
        let valid: Bool, comment: String
    }

    static let vectors: [Vector] = {
        let text = String(decoding: try! VectorFile.data("bip340-test-vectors.csv"), as: UTF8.self)
        return text.split(whereSeparator: \.isNewline).dropFirst().map { line in
            let f = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            return Vector(index: f[0], secretKey: f[1], publicKey: f[2], auxRand: f[3], message: f[4], signature: f[5],
                          valid: f[6] == "TRUE", comment: f.dropFirst(7).joined(separator: ","))
        }
    }()

    @Test func verification() throws {
        #expect(Self.vectors.count == 19)
        for vector in Self.vectors {
            let publicKey = (try? Hex.decode(vector.publicKey)) ?? []
            let verified = Schnorr.isValid(signature: try Hex.decode(vector.signature), message: try Hex.decode(vector.message), publicKey: publicKey)
            #expect(verified == vector.valid, "vector \(vector.index): \(vector.comment)")
        }
    }

    @Test func signingWithTheGivenAuxRandomness() throws {
        let signing = Self.vectors.filter { !$0.secretKey.isEmpty }
        #expect(signing.count == 8)
        for vector in signing {
            let key = try NostrSecretKey(secret: Hex.decode(vector.secretKey))
            #expect(key.publicKeyHex == vector.publicKey.lowercased(), "vector \(vector.index)")
            let signature = key.sign(try Hex.decode(vector.message), auxRandom: try Hex.decode(vector.auxRand))
            #expect(Hex.encode(signature) == vector.signature.lowercased(), "vector \(vector.index)")
        }
    }
}
