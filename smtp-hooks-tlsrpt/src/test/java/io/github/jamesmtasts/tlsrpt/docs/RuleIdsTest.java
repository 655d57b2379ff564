package io.github.jamesmtasts.tlsrpt.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * Every rule id that code comments and test names cite is defined in docs/rules.md, and a test name cites a section
 * that its rule covers (the refresh rule R cited with an RFC 8460 section would be a wrong citation).
 */
class RuleIdsTest {

    /** {@code | `T` | 3.1 | ...}: an id and the sections it covers; the H rules have no section column. */
    private static final Pattern DEFINITION = Pattern.compile("^\\| `([A-Z]+[0-9]*)` \\|([^|]*)\\|", Pattern.MULTILINE);
    /** A test name opening with an id and a section: {@code "T 3.1 id too long"}. */
    private static final Pattern TEST_NAME = Pattern.compile("\"([A-Z]{1,4}) ([0-9]+(?:\\.[0-9]+)*)[ \"]");
    /** Words that open test names with a number without being rule ids. */
    private static final Set<String> NOT_RULES = Set.of("RFC", "HTTP", "TLS", "SMTP");
    /** A comment citing an RFC section and its rule: {@code RFC 8461 3.3 (F)}. */
    private static final Pattern RFC_CITATION = Pattern.compile("RFC 846[01] [0-9./]+ \\(([A-Za-z]+)\\)");
    /** A hostile-input rule: {@code design H1}, {@code H6:}, {@code (H4)}, {@code "H3 ...}. */
    private static final Pattern DESIGN_RULE = Pattern.compile("(?:[Dd]esign |\\(|\")(H[0-9]+)\\b|\\b(H[0-9]+):");

    private static Path repository() {
        for (Path dir = Paths.get("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("docs/rules.md"))) {
                return dir;
            }
        }
        throw new IllegalStateException("docs/rules.md not found above " + Paths.get("").toAbsolutePath());
    }

    private static Map<String, List<String>> definitions(Path repository) throws IOException {
        String rules = Files.readString(repository.resolve("docs/rules.md"), StandardCharsets.UTF_8);
        Map<String, List<String>> sections = new HashMap<>();
        Matcher m = DEFINITION.matcher(rules);
        while (m.find()) {
            List<String> covered = new ArrayList<>();
            for (String section : m.group(2).split(",")) {
                if (section.trim().matches("[0-9]+(\\.[0-9]+)*")) {
                    covered.add(section.trim());
                }
            }
            sections.put(m.group(1), covered);
        }
        return sections;
    }

    private static List<Path> sources(Path repository) throws IOException {
        List<Path> files = new ArrayList<>();
        for (String module : List.of("smtp-hooks-tlsrpt", "mailet-mtasts", "james-conf-examples")) {
            Path src = repository.resolve(module).resolve("src");
            if (Files.isDirectory(src)) {
                try (Stream<Path> walk = Files.walk(src)) {
                    files.addAll(walk.filter(p -> p.toString().endsWith(".java")).collect(Collectors.toList()));
                }
            }
        }
        return files;
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static boolean covers(List<String> sections, String cited) {
        return sections.stream().anyMatch(s -> cited.equals(s) || cited.startsWith(s + "."));
    }

    @Test
    void everyCitedRuleIdShouldBeDefinedInDocsRulesMd() throws IOException {
        Path repository = repository();
        Map<String, List<String>> defined = definitions(repository);
        Set<String> problems = new TreeSet<>();
        List<Path> files = sources(repository);
        for (Path file : files) {
            String text = read(file);
            String where = repository.relativize(file).toString();
            Matcher name = TEST_NAME.matcher(text);
            while (name.find()) {
                String id = name.group(1);
                String section = name.group(2);
                if (NOT_RULES.contains(id) || id.startsWith("H")) {
                    continue;
                }
                if (!defined.containsKey(id)) {
                    problems.add(where + ": rule " + id + " is not defined in docs/rules.md");
                } else if (!covers(defined.get(id), section)) {
                    problems.add(where + ": rule " + id + " does not cover section " + section + " (docs/rules.md: "
                        + defined.get(id) + ")");
                }
            }
            Matcher citation = RFC_CITATION.matcher(text);
            while (citation.find()) {
                if (!defined.containsKey(citation.group(1))) {
                    problems.add(where + ": rule (" + citation.group(1) + ") is not defined in docs/rules.md");
                }
            }
            Matcher design = DESIGN_RULE.matcher(text);
            while (design.find()) {
                String id = design.group(1) != null ? design.group(1) : design.group(2);
                if (!defined.containsKey(id)) {
                    problems.add(where + ": design rule " + id + " is not defined in docs/rules.md");
                }
            }
        }

        assertThat(files).hasSizeGreaterThan(100);
        assertThat(defined).containsKeys("T", "P", "F", "R", "M", "A", "I", "TXT", "J", "H1", "H7");
        assertThat(problems).isEmpty();
    }
}
