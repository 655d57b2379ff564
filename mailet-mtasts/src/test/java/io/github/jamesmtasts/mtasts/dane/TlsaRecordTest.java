package io.github.jamesmtasts.mtasts.dane;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.util.Arrays;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Name;
import org.xbill.DNS.TLSARecord;

class TlsaRecordTest {

    private static byte[] bytes(int length) {
        byte[] data = new byte[length];
        Arrays.fill(data, (byte) 0xa5);
        return data;
    }

    static Stream<Arguments> usability() {
        return Stream.of(
            arguments("DA 3.1.1 DANE-EE(3) SPKI(1) SHA2-256(1)", 3, 1, 1, 32, true),
            arguments("DA 3.1.1 DANE-EE(3) Cert(0) SHA2-256(1)", 3, 0, 1, 32, true),
            arguments("DA 3.1.1 DANE-EE(3) SPKI(1) SHA2-512(2)", 3, 1, 2, 64, true),
            arguments("DA 3.1.1 DANE-EE(3) Cert(0) Full(0)", 3, 0, 0, 700, true),
            arguments("DA 3.1.1 DANE-EE(3) SPKI(1) Full(0)", 3, 1, 0, 91, true),
            arguments("DA 3.1.2 DANE-TA(2) Cert(0) SHA2-256(1)", 2, 0, 1, 32, true),
            arguments("DA 3.1.2 DANE-TA(2) SPKI(1) SHA2-512(2)", 2, 1, 2, 64, true),
            arguments("DA 3.1.2 DANE-TA(2) Cert(0) Full(0)", 2, 0, 0, 1_200, true),
            arguments("DA 3.1.3 PKIX-TA(0) is unusable for SMTP", 0, 1, 1, 32, false),
            arguments("DA 3.1.3 PKIX-EE(1) is unusable for SMTP", 1, 1, 1, 32, false),
            arguments("DA 3.1 unknown usage 4 is unusable", 4, 1, 1, 32, false),
            arguments("DA 3.1 private usage 255 is unusable", 255, 1, 1, 32, false),
            arguments("DA 3.1 unknown selector 2 is unusable", 3, 2, 1, 32, false),
            arguments("DA 3.1 private selector 255 is unusable", 3, 255, 1, 32, false),
            arguments("DA 3.1 unknown matching type 3 is unusable", 3, 1, 3, 32, false),
            arguments("DA 3.1 private matching type 255 is unusable", 3, 1, 255, 64, false),
            arguments("DA 3.1 SHA2-256 digest one octet short", 3, 1, 1, 31, false),
            arguments("DA 3.1 SHA2-256 digest one octet long", 3, 1, 1, 33, false),
            arguments("DA 3.1 SHA2-256 with a SHA2-512 sized digest", 3, 1, 1, 64, false),
            arguments("DA 3.1 SHA2-512 digest one octet short", 3, 1, 2, 63, false),
            arguments("DA 3.1 SHA2-512 with a SHA2-256 sized digest", 3, 1, 2, 32, false),
            arguments("DA 3.1 empty SHA2-256 digest", 3, 1, 1, 0, false),
            arguments("DA 3.1 empty full data", 3, 1, 0, 0, false),
            arguments("DA 3.1 full data of one octet is usable (a parse failure cannot match)", 3, 0, 0, 1, true),
            arguments("H2 full data at the bound is usable", 3, 0, 0, TlsaRecord.MAX_DATA_LENGTH, true),
            arguments("H2 full data one octet over the bound is unusable", 3, 0, 0, TlsaRecord.MAX_DATA_LENGTH + 1,
                false),
            arguments("H2 oversized full data under DANE-TA is unusable", 2, 0, 0, 65_535, false));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("usability")
    void usableShouldFollowRfc7672Section31(String rule, int usage, int selector, int matchingType, int length,
                                            boolean expected) {
        assertThat(TlsaRecord.of(usage, selector, matchingType, bytes(length)).usable()).isEqualTo(expected);
    }

    static Stream<Arguments> outOfRange() {
        return Stream.of(
            arguments("DA 3.1 negative usage", -1, 1, 1),
            arguments("DA 3.1 usage over one octet", 256, 1, 1),
            arguments("DA 3.1 negative selector", 3, -1, 1),
            arguments("DA 3.1 selector over one octet", 3, 256, 1),
            arguments("DA 3.1 negative matching type", 3, 1, -1),
            arguments("DA 3.1 matching type over one octet", 3, 1, 256));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("outOfRange")
    void ofShouldRefuseFieldsOutsideOneOctet(String rule, int usage, int selector, int matchingType) {
        assertThatThrownBy(() -> TlsaRecord.of(usage, selector, matchingType, bytes(32)))
            .isInstanceOf(IllegalArgumentException.class);
    }

    static Stream<Arguments> presentations() {
        return Stream.of(
            arguments("J 4.4 DANE-EE SPKI SHA2-256 in lower-case hex", TlsaRecord.of(3, 1, 1, new byte[] {0x00, 0x0f,
                (byte) 0xab, (byte) 0xff}), "3 1 1 000fabff"),
            arguments("J 4.4 DANE-TA Cert SHA2-512", TlsaRecord.of(2, 0, 2, new byte[] {(byte) 0x80, 0x7f}),
                "2 0 2 807f"),
            arguments("J 4.4 unusable records are presented as published", TlsaRecord.of(255, 255, 255,
                new byte[] {0x01}), "255 255 255 01"),
            arguments("J 4.4 empty data has no hex", TlsaRecord.of(3, 1, 1, new byte[0]), "3 1 1 "));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("presentations")
    void presentationShouldBeRfc6698Section22Text(String rule, TlsaRecord record, String expected) {
        assertThat(record.presentation()).isEqualTo(expected);
    }

    @Test
    void presentationShouldCarryTheWholeDataWhileToStringIsCut() {
        TlsaRecord full = TlsaRecord.of(3, 0, 0, bytes(1_000));

        assertThat(full.presentation()).hasSize(6 + 2_000).endsWith("a5a5");
        assertThat(full.toString()).hasSize(80).endsWith("...");
        assertThat(TlsaRecord.of(3, 1, 1, bytes(32)).toString()).isEqualTo(TlsaRecord.of(3, 1, 1, bytes(32))
            .presentation());
    }

    static Stream<Arguments> equality() {
        TlsaRecord base = TlsaRecord.of(3, 1, 1, bytes(32));
        byte[] other = bytes(32);
        other[31] = 0;
        return Stream.of(
            arguments("DA 3.1 same fields and data are equal", base, TlsaRecord.of(3, 1, 1, bytes(32)), true),
            arguments("DA 3.1 another usage differs", base, TlsaRecord.of(2, 1, 1, bytes(32)), false),
            arguments("DA 3.1 another selector differs", base, TlsaRecord.of(3, 0, 1, bytes(32)), false),
            arguments("DA 3.1 another matching type differs", base, TlsaRecord.of(3, 1, 2, bytes(32)), false),
            arguments("DA 3.1 other data differs", base, TlsaRecord.of(3, 1, 1, other), false),
            arguments("DA 3.1 shorter data differs", base, TlsaRecord.of(3, 1, 1, bytes(31)), false));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("equality")
    void equalsShouldCompareAllFieldsAndTheData(String rule, TlsaRecord a, TlsaRecord b, boolean expected) {
        assertThat(a.equals(b)).isEqualTo(expected);
        assertThat(b.equals(a)).isEqualTo(expected);
        if (expected) {
            assertThat(a.hashCode()).isEqualTo(b.hashCode());
        }
    }

    @Test
    void equalsShouldRefuseOtherTypes() {
        TlsaRecord record = TlsaRecord.of(3, 1, 1, bytes(32));

        assertThat(record.equals(record.presentation())).isFalse();
        assertThat(record.equals(null)).isFalse();
    }

    @Test
    void dataShouldBeCopiedInAndOut() {
        byte[] data = bytes(32);
        TlsaRecord record = TlsaRecord.of(3, 1, 1, data);

        data[0] = 0;
        record.data()[1] = 0;

        assertThat(record.data()).isEqualTo(bytes(32));
        assertThat(record).isEqualTo(TlsaRecord.of(3, 1, 1, bytes(32)));
    }

    @Test
    void fromDnsShouldKeepEveryField() throws Exception {
        TLSARecord dns = new TLSARecord(Name.fromString("_25._tcp.mx.example.com."), DClass.IN, 300, 2, 0, 2,
            bytes(64));

        TlsaRecord record = TlsaRecord.fromDns(dns);

        assertThat(record).isEqualTo(TlsaRecord.of(2, 0, 2, bytes(64)));
        assertThat(record.usage()).isEqualTo(TlsaRecord.DANE_TA);
        assertThat(record.selector()).isEqualTo(TlsaRecord.SELECTOR_CERT);
        assertThat(record.matchingType()).isEqualTo(TlsaRecord.MATCH_SHA512);
    }
}
