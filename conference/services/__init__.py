"""Domain actions. Each public function is one transaction with stable error codes."""
