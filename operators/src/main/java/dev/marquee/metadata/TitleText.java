package dev.marquee.metadata;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CharsetEncoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.text.Normalizer;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Title text as feeds send it: repaired where it is plainly double-encoded UTF-8, and reduced to a
 * matching key for comparison. What is displayed is never normalized: a title keeps its spacing,
 * case and composition exactly as the vendor wrote it (after a repair), because "Amélie" and
 * "AMÉLIE" are different display choices even though they are the same title.
 */
public final class TitleText {
    private static final Charset WINDOWS_1252 = Charset.forName("windows-1252");
    private static final Pattern MARKS = Pattern.compile("\\p{M}+");
    private static final Pattern NOT_WORD = Pattern.compile("[^\\p{L}\\p{N}]+");
    private static final Pattern LEADING_ARTICLE = Pattern.compile("^(the|a|an) ");

    private TitleText() {}

    /**
     * Undoes one round of UTF-8 bytes decoded as Latin-1 or Windows-1252 ("AmÃ©lie" back to
     * "Amélie"). The repair applies only when it is plain: every character maps back to one byte,
     * those bytes are strictly valid UTF-8, and at least one multi-byte sequence results. Text that
     * is not mojibake almost never passes that test (legitimate Latin-1 text rarely forms valid
     * UTF-8 sequences), and a repaired text is left alone by a second call.
     *
     * @return the repaired text, or empty when there is nothing plain to repair
     */
    public static Optional<String> repairDoubleEncoding(String text) {
        if (text == null || text.chars().allMatch(c -> c < 0x80)) {
            return Optional.empty();
        }
        byte[] bytes = new byte[text.length()];
        CharsetEncoder cp1252 = WINDOWS_1252.newEncoder();
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x100) {
                bytes[i] = (byte) c; // Latin-1 reading, C1 controls included
            } else {
                try {
                    ByteBuffer one = cp1252.encode(CharBuffer.wrap(new char[] {c}));
                    if (one.remaining() != 1) {
                        return Optional.empty();
                    }
                    bytes[i] = one.get();
                } catch (CharacterCodingException e) {
                    return Optional.empty(); // a character no single-byte reading produces
                }
            }
        }
        try {
            String decoded =
                    StandardCharsets.UTF_8
                            .newDecoder()
                            .onMalformedInput(CodingErrorAction.REPORT)
                            .onUnmappableCharacter(CodingErrorAction.REPORT)
                            .decode(ByteBuffer.wrap(bytes))
                            .toString();
            return decoded.length() < text.length() ? Optional.of(decoded) : Optional.empty();
        } catch (CharacterCodingException e) {
            return Optional.empty();
        }
    }

    /**
     * The key titles are compared by: Unicode NFC, then case folded, accents and punctuation
     * dropped, whitespace collapsed, and a leading English article removed ("The Matrix" and
     * "Matrix, The" compare equal). Never shown to anyone.
     */
    public static String matchKey(String text) {
        if (text == null) {
            return "";
        }
        String s = Normalizer.normalize(text, Normalizer.Form.NFC);
        s = Normalizer.normalize(s, Normalizer.Form.NFD);
        s = MARKS.matcher(s).replaceAll("");
        s = s.toLowerCase(Locale.ROOT).replace("&", " and ");
        s = NOT_WORD.matcher(s).replaceAll(" ").strip();
        s = LEADING_ARTICLE.matcher(s).replaceFirst("");
        if (s.endsWith(" the")) {
            s = s.substring(0, s.length() - 4);
        }
        return s.replaceAll(" +", " ");
    }

    /** Unicode NFC with whitespace collapsed: for comparing display texts, not for showing them. */
    public static String nfcCollapsed(String text) {
        return Normalizer.normalize(text, Normalizer.Form.NFC).strip().replaceAll("\\s+", " ");
    }
}
