package io.github.jamesmtasts.tlsrpt.testing;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.util.Arrays;

import org.xbill.DNS.DClass;
import org.xbill.DNS.DNSKEYRecord;
import org.xbill.DNS.DNSSEC;
import org.xbill.DNS.DSRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.RRSIGRecord;
import org.xbill.DNS.RRset;
import org.xbill.DNS.Type;

/**
 * The two keys of one signed test zone (RFC 4641 KSK/ZSK split): the KSK (flags 257, SEP) signs the DNSKEY RRset and
 * is what the parent's DS record or a trust anchor names; the ZSK (flags 256) signs everything else. Both are ECDSA
 * P-256 with SHA-256, DNSSEC algorithm 13 (RFC 6605), generated fresh for every zone.
 */
final class DnssecZoneKeys {
    private static final int ZONE_KEY = 256;
    private static final int SEP = 1;

    private final Name apex;
    private final DNSKEYRecord ksk;
    private final DNSKEYRecord zsk;
    private final KeyPair kskPair;
    private final KeyPair zskPair;

    private DnssecZoneKeys(Name apex, KeyPair kskPair, KeyPair zskPair, long ttl) throws DNSSEC.DNSSECException {
        this.apex = apex;
        this.kskPair = kskPair;
        this.zskPair = zskPair;
        this.ksk = new DNSKEYRecord(apex, DClass.IN, ttl, ZONE_KEY | SEP, DNSKEYRecord.Protocol.DNSSEC,
            DNSSEC.Algorithm.ECDSAP256SHA256, kskPair.getPublic());
        this.zsk = new DNSKEYRecord(apex, DClass.IN, ttl, ZONE_KEY, DNSKEYRecord.Protocol.DNSSEC,
            DNSSEC.Algorithm.ECDSAP256SHA256, zskPair.getPublic());
    }

    static DnssecZoneKeys generate(Name apex) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            // Keys are published with a fixed TTL: they do not change while the server runs.
            return new DnssecZoneKeys(apex, generator.generateKeyPair(), generator.generateKeyPair(), 3600);
        } catch (GeneralSecurityException | DNSSEC.DNSSECException e) {
            throw new IllegalStateException("cannot generate ECDSA P-256 keys for " + apex, e);
        }
    }

    Name apex() {
        return apex;
    }

    /** The zone's DNSKEY RRset (KSK and ZSK), unsigned. */
    RRset dnskeys() {
        RRset set = new RRset();
        set.addRR(ksk);
        set.addRR(zsk);
        return set;
    }

    DNSKEYRecord ksk() {
        return ksk;
    }

    /** The DS record of the KSK (SHA-256 digest, RFC 4509): what the parent publishes, or a trust anchor. */
    DSRecord ds(long ttl) {
        return new DSRecord(apex, DClass.IN, ttl, DNSSEC.Digest.SHA256, ksk);
    }

    /**
     * Signs {@code rrset} with the KSK when it is the DNSKEY RRset, else with the ZSK, valid from {@code inception} to
     * {@code expiration}; {@code corrupt} flips a bit of the signature so that it never validates (a bogus answer).
     */
    RRSIGRecord sign(RRset rrset, Instant inception, Instant expiration, boolean corrupt) {
        boolean keySet = rrset.getType() == Type.DNSKEY;
        try {
            RRSIGRecord signature = DNSSEC.sign(rrset, keySet ? ksk : zsk,
                keySet ? kskPair.getPrivate() : zskPair.getPrivate(), inception, expiration);
            if (!corrupt) {
                return signature;
            }
            byte[] bits = signature.getSignature();
            byte[] broken = Arrays.copyOf(bits, bits.length);
            broken[broken.length / 2] ^= 0x01;
            return new RRSIGRecord(signature.getName(), signature.getDClass(), signature.getTTL(),
                signature.getTypeCovered(), signature.getAlgorithm(), signature.getOrigTTL(), signature.getExpire(),
                signature.getTimeSigned(), signature.getFootprint(), signature.getSigner(), broken);
        } catch (DNSSEC.DNSSECException e) {
            throw new IllegalStateException("cannot sign " + rrset.getName() + " " + Type.string(rrset.getType()), e);
        }
    }
}
