package org.linkgate.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The browser driver on a static file: DOM as rendered, screenshot, console messages. */
class HeadlessChromiumTest {

    @BeforeAll
    static void chromium() {
        HeadlessChromium.requireOrSkip();
    }

    @Test
    void rendersAFileAndTakesAScreenshot(@TempDir Path dir) throws Exception {
        Path page = dir.resolve("report.html");
        // The text is written by a script, so it is in the DOM only if the page was really rendered.
        Files.writeString(page, "<!DOCTYPE html><html><head><style>h1{color:#a00}</style></head><body>"
                + "<h1 id=\"t\">static</h1><script>document.getElementById('t').textContent = 'rendered ' + (6 * 7);"
                + "console.log('hello from the page')</script></body></html>", StandardCharsets.UTF_8);
        try (HeadlessChromium browser = HeadlessChromium.start(800, 600);
             HeadlessChromium.Page loaded = browser.open(page.toUri())) {
            assertThat(loaded.dom()).contains("rendered 42").doesNotContain(">static<");
            assertThat(loaded.text()).contains("rendered 42");
            assertThat(loaded.status()).as("Chromium reports a file it found as 200").isEqualTo(200);
            Path png = loaded.screenshot(dir.resolve("shot.png"));
            byte[] bytes = Files.readAllBytes(png);
            assertThat(bytes).startsWith(new byte[] {(byte) 0x89, 'P', 'N', 'G'});
            assertThat(bytes.length).isGreaterThan(1000);
            assertThat(loaded.messages()).anyMatch(m -> m.contains("hello from the page"));
        }
    }
}
