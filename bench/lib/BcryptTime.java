import org.springframework.security.crypto.bcrypt.BCrypt;

/**
 * One bcrypt verification's time on this machine, with the service's own library and cost,
 * for the login target (cores / hash time). Run with the packaged jar's classpath:
 * java -cp 'target/quarkus-app/lib/main/*' bench/lib/BcryptTime.java [cost]
 */
public class BcryptTime {
    public static void main(String[] args) {
        int cost = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        String hash = BCrypt.hashpw("bench-password-1", BCrypt.gensalt("$2a", cost));
        for (int i = 0; i < 5; i++) {
            BCrypt.checkpw("bench-password-1", hash);
        }
        int n = 20;
        long[] t = new long[n];
        for (int i = 0; i < n; i++) {
            long s = System.nanoTime();
            BCrypt.checkpw("bench-password-1", hash);
            t[i] = System.nanoTime() - s;
        }
        java.util.Arrays.sort(t);
        System.out.printf("%.2f%n", t[n / 2] / 1e6);
    }
}
