package dev.smtpwatch.demo;

/** The start-up benchmark's app that sends no mail: it only prints its line, so the time measured is start-up. */
public final class NoMailApp {
    private NoMailApp() {
    }

    public static void main(String[] args) {
        System.out.println("sample app: started, no mail sent");
    }
}
