package hello;

/** Prints a greeting. */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    System.out.println("same bytes every time");
  }
}
