package main
import "os"
func main() {
	key := os.Getenv("STRIPE_KEY")
	dsn := "postgres://app:Og5xYG!kPB4qi@db.internal:5432/app"
	_ = key
}
